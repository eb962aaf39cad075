import { ValidationError } from '../errors/index.js';

/** Collects per-field messages and throws one ValidationError naming them all. */
export class FieldErrors {
  readonly errors: Record<string, string> = {};

  add(name: string, message: string): void {
    this.errors[name] ??= message;
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(summary = 'Please correct the highlighted fields.'): void {
    if (!this.empty) throw new ValidationError(summary, this.errors);
  }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function isObjectIdString(value: string): boolean {
  return /^[a-f0-9]{24}$/i.test(value);
}
