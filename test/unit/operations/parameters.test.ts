/** Schedule parameters (FEATURES.md B3), pure: declarations bounded, values in force, the view. */
import {
  MAX_PARAMETERS,
  MAX_PARAMETER_VALUE_LENGTH,
  ParameterDeclarationsSchema,
  ParameterValuesSchema,
  parameterViews,
  valuesInForce,
} from '../../../src/operations/parameters';

const DECLARED = [
  { name: 'region', default: 'eu-west-1' },
  { name: 'dry_run', default: 'false' },
];

const messagesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('declarations', () => {
  test('a valid declaration parses', () => {
    expect(ParameterDeclarationsSchema.parse(DECLARED)).toEqual(DECLARED);
  });

  test.each([
    [
      [{ name: '9lives', default: '' }],
      'Parameter name must start with a letter or "_" and hold only letters, digits, "_", "." and "-"',
    ],
    [[{ name: 'x'.repeat(65), default: '' }], 'Parameter name must be at most 64 characters'],
    [
      [{ name: 'a', default: 'v'.repeat(MAX_PARAMETER_VALUE_LENGTH + 1) }],
      'Parameter default must be at most 1024 characters',
    ],
    [[{ name: 'a', default: 1 }], 'Parameter default must be a string'],
    [
      [
        { name: 'a', default: '' },
        { name: 'a', default: '' },
      ],
      'Parameter "a" is declared twice',
    ],
    [
      Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => ({ name: `p${i}`, default: '' })),
      'Parameters must be at most 32',
    ],
    ['region', 'Parameters must be an array of {name, default}'],
  ])('%j is refused: %s', (value, message) => {
    expect(messagesOf(ParameterDeclarationsSchema.safeParse(value))).toContain(message);
  });
});

describe('values given at Start or Run now', () => {
  test.each([
    [{ region: 7 }, 'Parameter value must be a string'],
    [{ region: 'v'.repeat(1025) }, 'Parameter value must be at most 1024 characters'],
    ['eu', 'Parameters must be an object of parameter names to string values'],
  ])('%j is refused: %s', (value, message) => {
    expect(messagesOf(ParameterValuesSchema.safeParse(value))).toContain(message);
  });
});

describe('valuesInForce', () => {
  test('given values win over current ones, which win over defaults', () => {
    expect(valuesInForce(DECLARED, { region: 'us-east-2' }, { dry_run: 'true' })).toEqual({
      success: true,
      values: { region: 'us-east-2', dry_run: 'true' },
    });
    expect(valuesInForce(DECLARED, undefined, undefined)).toEqual({
      success: true,
      values: { region: 'eu-west-1', dry_run: 'false' },
    });
  });

  test('no declared parameters: no values, and a given one is refused by name', () => {
    expect(valuesInForce(undefined, undefined, undefined)).toEqual({ success: true, values: undefined });
    expect(valuesInForce(undefined, undefined, { region: 'x' })).toEqual({
      success: false,
      messages: ['Parameter "region" is not declared by the runbook'],
    });
  });

  test('a value of a parameter no longer declared is dropped', () => {
    expect(valuesInForce(DECLARED, { gone: 'x' }, undefined)).toEqual({
      success: true,
      values: { region: 'eu-west-1', dry_run: 'false' },
    });
  });
});

test('parameterViews shows default, current and the pending new value', () => {
  expect(parameterViews(DECLARED, { region: 'us-east-2' }, { dry_run: 'true' })).toEqual([
    { name: 'region', default: 'eu-west-1', current: 'us-east-2', new: null },
    { name: 'dry_run', default: 'false', current: 'false', new: 'true' },
  ]);
});
