import { existsSync, statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

/** Commander argument parsers: each turns the text into a value or says, in one line, what would be accepted. */

export function nonNegativeInteger(what: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`${what} must be a whole number >= 0.`);
    }
    return value;
  };
}

export function positiveInteger(what: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(`${what} must be a whole number >= 1.`);
    }
    return value;
  };
}

export function positiveNumber(what: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(`${what} must be a number > 0, such as 0.01 or 1e-4.`);
    }
    return value;
  };
}

export function nonNegativeNumber(what: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${what} must be a number >= 0, such as 0 or 0.9.`);
    }
    return value;
  };
}

export function existingFile(text: string): string {
  if (!existsSync(text)) throw new InvalidArgumentError(`no such file: ${text}`);
  if (!statSync(text).isFile()) throw new InvalidArgumentError(`${text} is not a file.`);
  return text;
}
