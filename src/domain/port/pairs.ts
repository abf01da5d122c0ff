// allowed_address_pairs: addresses or CIDRs a port may also send from; need port security, MAC defaults to the port's.
import { conflict, invalidInput } from '../errors.ts';
import { canonicalIp, formatCidr, parseCidr } from '../ip/address.ts';
import type { AddressPairRequest } from './commands.ts';
import type { AddressPair } from './state.ts';

/** Neutron's max_allowed_address_pair default. */
const MAX_ADDRESS_PAIRS = 10;

export function resolveAddressPairs(requested: AddressPairRequest[], portMac: string, portSecurityEnabled: boolean): AddressPair[] {
  if (requested.length === 0) return [];
  if (!portSecurityEnabled) {
    throw conflict('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
  }
  if (requested.length > MAX_ADDRESS_PAIRS) throw invalidInput(`Exceeded maximum amount of allowed address pairs (${MAX_ADDRESS_PAIRS})`);
  const pairs = requested.map((p) => {
    const cidr = p.ipAddress.includes('/') ? parseCidr(p.ipAddress) : undefined;
    const ip = cidr !== undefined ? formatCidr(cidr) : canonicalIp(p.ipAddress);
    if (ip === undefined) throw invalidInput(`'${p.ipAddress}' is not a valid IP address or CIDR for allowed address pairs`);
    return { ipAddress: ip, macAddress: p.macAddress ?? portMac };
  });
  const keys = pairs.map((p) => `${p.ipAddress}|${p.macAddress}`);
  if (new Set(keys).size !== keys.length) throw conflict('DuplicateAddressPairInRequest', 'Request contains duplicate address pair.');
  return pairs;
}
