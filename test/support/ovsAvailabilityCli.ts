// Prints this process's OVS availability verdict and calls requireOvs(); run by ovsAvailability.int.test.ts with a PATH lacking OVS.
import { ovsAvailable, requireOvs } from './ovsAvailability.ts';

console.log(JSON.stringify(ovsAvailable()));
console.log(`requireOvs: ${requireOvs()}`);
