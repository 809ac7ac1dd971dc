/**
 * Errors that a stage or the engine raises for bad user input: a malformed pipeline, a dataset
 * that cannot be modelled, a checksum mismatch. The command line maps them to exit code 2, while
 * any other exception in a stage is a stage failure (exit code 1).
 */

/** Position of a bad value in a user's file. Line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface InputErrorDetails {
  /** File, and where known line and column, of the offending value. */
  location?: SourceLocation;
  /** The offending value, as the user wrote it. */
  value?: string;
  /** The fix to suggest. */
  hint?: string;
  /**
   * Keys leading to the offending value inside the object that was validated, for example
   * `['dataset', 'target', 'column']` within a stage's params. The engine maps it to a file position.
   */
  path?: (string | number)[];
}

/** Bad user input. The message states what was expected and what was found. */
export class InputError extends Error {
  readonly location?: SourceLocation;
  readonly value?: string;
  readonly hint?: string;
  readonly path?: (string | number)[];

  constructor(message: string, details: InputErrorDetails = {}) {
    super(message);
    this.name = 'InputError';
    this.location = details.location;
    this.value = details.value;
    this.hint = details.hint;
    this.path = details.path;
  }

  /** Plain data form, for passing across a worker-thread boundary. */
  toJSON(): SerializedError {
    return {
      name: this.name,
      message: this.message,
      location: this.location,
      value: this.value,
      hint: this.hint,
      path: this.path,
      stack: this.stack,
    };
  }
}

export interface SerializedError {
  name: string;
  message: string;
  location?: SourceLocation;
  value?: string;
  hint?: string;
  path?: (string | number)[];
  stack?: string;
}

/** Converts any thrown value into plain data that survives structured cloning. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof InputError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** Rebuilds an error from its plain data form; InputError keeps its class. */
export function deserializeError(data: SerializedError): Error {
  if (data.name === 'InputError') {
    const error = new InputError(data.message, { location: data.location, value: data.value, hint: data.hint, path: data.path });
    if (data.stack) error.stack = data.stack;
    return error;
  }
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

/** Formats a location as `file:line:col`, leaving out what is unknown. */
export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
