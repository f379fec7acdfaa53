/**
 * Schedule parameters (FEATURES.md B3), pure: what a runbook declares (named values with defaults, bounded), the
 * values in force once a Start or Run now gives new ones, and the view of each parameter's default, current and
 * new value.
 */
import { z } from 'zod';
import { Messages } from '../connector/errors';

/** Most parameters a runbook may declare. */
export const MAX_PARAMETERS = 32;
/** Longest parameter name, in characters. */
export const MAX_PARAMETER_NAME_LENGTH = 64;
/** Longest parameter value (default or given), in characters. */
export const MAX_PARAMETER_VALUE_LENGTH = 1024;

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A parameter name: a letter or `_`, then letters, digits, `_`, `.` or `-`, bounded. */
export const ParameterNameSchema = z
  .string({ error: 'Parameter name must be a string' })
  .min(1, 'Parameter name must not be empty')
  .max(MAX_PARAMETER_NAME_LENGTH, `Parameter name must be at most ${MAX_PARAMETER_NAME_LENGTH} characters`)
  .regex(
    NAME_PATTERN,
    'Parameter name must start with a letter or "_" and hold only letters, digits, "_", "." and "-"',
  );

/** A parameter value: a string of at most {@link MAX_PARAMETER_VALUE_LENGTH} characters. */
export const ParameterValueSchema = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(MAX_PARAMETER_VALUE_LENGTH, `${field} must be at most ${MAX_PARAMETER_VALUE_LENGTH} characters`);

/** One declared parameter: `{name, default}`. */
export const ParameterDeclarationSchema = z.object(
  { name: ParameterNameSchema, default: ParameterValueSchema('Parameter default') },
  { error: 'Each parameter must be an object {name, default}' },
);
/** One declared parameter. */
export type ParameterDeclaration = z.infer<typeof ParameterDeclarationSchema>;

/** A runbook's `parameters`: at most {@link MAX_PARAMETERS}, names unique. */
export const ParameterDeclarationsSchema = z
  .array(ParameterDeclarationSchema, { error: 'Parameters must be an array of {name, default}' })
  .max(MAX_PARAMETERS, `Parameters must be at most ${MAX_PARAMETERS}`)
  .check((ctx) => {
    const seen = new Set<string>();
    for (const { name } of ctx.value) {
      if (seen.has(name)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `Parameter "${name}" is declared twice`,
        });
      }
      seen.add(name);
    }
  });

/** New values given at Start or Run now: parameter name to value. */
export const ParameterValuesSchema = z.record(ParameterNameSchema, ParameterValueSchema('Parameter value'), {
  error: Messages.parametersNotObject,
});
/** New values given at Start or Run now. */
export type ParameterValues = z.infer<typeof ParameterValuesSchema>;

/** The defaults of declared parameters, or undefined when none are declared. */
export function defaultValues(
  declared: readonly ParameterDeclaration[] | undefined,
): Record<string, string> | undefined {
  if (!declared || declared.length === 0) return undefined;
  return Object.fromEntries(declared.map((p) => [p.name, p.default]));
}

/** Outcome of {@link valuesInForce}. */
export type ValuesInForce =
  | { readonly success: true; readonly values: Record<string, string> | undefined }
  | { readonly success: false; readonly messages: string[] };

/**
 * The values in force once `given` applies over `current` (the schedule's values; a declared parameter missing
 * from them takes its default). Undefined when the runbook declares none. A name the runbook does not declare is
 * refused, naming it.
 */
export function valuesInForce(
  declared: readonly ParameterDeclaration[] | undefined,
  current: Readonly<Record<string, string>> | undefined,
  given: ParameterValues | undefined,
): ValuesInForce {
  const names = new Set((declared ?? []).map((p) => p.name));
  const unknown = Object.keys(given ?? {}).filter((name) => !names.has(name));
  if (unknown.length > 0) return { success: false, messages: unknown.map(Messages.parameterNotDeclared) };
  const defaults = defaultValues(declared);
  if (defaults === undefined) return { success: true, values: undefined };
  const values: Record<string, string> = {};
  for (const name of Object.keys(defaults)) {
    values[name] = given?.[name] ?? current?.[name] ?? (defaults[name] as string);
  }
  return { success: true, values };
}

/** One parameter as a schedule shows it. */
export interface ParameterView {
  readonly name: string;
  readonly default: string;
  /** The value in force now. */
  readonly current: string;
  /** The value a pending Start will bring, or null when none is pending or it gives none for this name. */
  readonly new: string | null;
}

/** Each declared parameter's default, current and new value. */
export function parameterViews(
  declared: readonly ParameterDeclaration[] | undefined,
  current: Readonly<Record<string, string>> | undefined,
  pending: Readonly<Record<string, string>> | undefined,
): ParameterView[] {
  return (declared ?? []).map((p) => ({
    name: p.name,
    default: p.default,
    current: current?.[p.name] ?? p.default,
    new: pending?.[p.name] ?? null,
  }));
}
