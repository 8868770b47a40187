/** ANSI colours, only when asked (a TTY without NO_COLOR). */
export interface Paint { red(s: string): string; yellow(s: string): string; green(s: string): string; dim(s: string): string; bold(s: string): string; cyan(s: string): string }

const wrap = (on: boolean, code: number, reset: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[${reset}m` : s);

export function paint(on: boolean): Paint {
  return { red: wrap(on, 31, 39), yellow: wrap(on, 33, 39), green: wrap(on, 32, 39), cyan: wrap(on, 36, 39), dim: wrap(on, 2, 22), bold: wrap(on, 1, 22) };
}
