/** Reported by ping and status; bumped with each release. */
export const OWL_VERSION = '0.1.0';
