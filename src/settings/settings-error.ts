/** The error of a malformed setting; a leaf, shared by the settings module and its parsers. */

/** A setting in the environment is malformed. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}
