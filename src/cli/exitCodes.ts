// Process exit codes of the esdn command, so scripts and tests can tell a bad setting from a crash.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Usage or configuration error (the convention of sysexits-less Unix tools such as grep and curl). */
export const EXIT_BAD_CONFIG = 2;
