import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { ValidationError } from '../errors/index.js';
import { registerFormats } from './formats.js';

registerFormats();

export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** Returns the value typed, or throws a ValidationError listing the failing fields. */
  assert(value: unknown, what: string): Static<T>;
  errors(value: unknown): { path: string; message: string }[];
}

const compiled = new WeakMap<TSchema, Validator<TSchema>>();

export function validatorFor<T extends TSchema>(schema: T): Validator<T> {
  const cached = compiled.get(schema);
  if (cached) return cached as Validator<T>;
  const check: TypeCheck<T> = TypeCompiler.Compile(schema);
  const validator: Validator<T> = {
    check: (value): value is Static<T> => check.Check(value),
    errors: (value) => [...check.Errors(value)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.message })),
    assert(value, what) {
      if (check.Check(value)) return value;
      const problems = validator.errors(value);
      const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new ValidationError(`Invalid ${what}: ${summary}`, problems);
    },
  };
  compiled.set(schema, validator as Validator<TSchema>);
  return validator;
}
