const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');

export function step(message) {
  console.log(`${dim('›')} ${message}`);
}

export function fail(message, code = 1) {
  console.error(`${red('✗')} ${message}`);
  process.exit(code);
}
