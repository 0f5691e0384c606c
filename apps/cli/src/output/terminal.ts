import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours only on a terminal: off when the stream is not a TTY, when NO_COLOR is set (any
 * non-empty value, https://no-color.org), with `--no-color`, or with TERM=dumb. FORCE_COLOR=1 forces
 * them on (useful in CI logs that render ANSI).
 */
export function colorsFor(
  stream: NodeJS.WriteStream,
  options: { color?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
): Colors {
  return pc.createColors(useColor(stream, options, env));
}

export function useColor(
  stream: { isTTY?: boolean },
  options: { color?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (options.color === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Messages for the person at the terminal go to stderr, so stdout stays clean for data. */
export const say = (line = ''): void => {
  process.stderr.write(`${line}\n`);
};
