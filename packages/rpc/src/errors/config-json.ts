import { OwlError } from './owl-error.ts';

/** Parses the text of a JSON file owl reads (config, remotes, tokens); bad JSON is OWL_CONFIG_INVALID naming the file. */
export function parseConfigJson(file: string, text: string): unknown {
  try {
    // Windows editors like to save a byte-order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A file that exists but cannot be read (permissions, a directory in its place). */
export function unreadableConfigError(file: string, error: unknown): OwlError {
  return new OwlError('OWL_CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
}
