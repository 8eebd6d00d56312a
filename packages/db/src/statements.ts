/**
 * A named (prepared) statement for `pg`: each connection has Postgres parse it once and plan it
 * once it has run a few times, instead of parsing and planning the text on every call — what a
 * hot statement costs Postgres most besides its execution.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Texts by name, process-wide: `pg` refuses a name that a connection prepared with another text. */
const texts = new Map<string, string>();

/**
 * Names `text` (pass it to `query({ ...statement, values })`). Throws when `name` was given
 * another text before in this process, so a clash shows at construction, not as a failed query
 * on whichever connection happens to have prepared the other one.
 */
export function statement(name: string, text: string): Statement {
  const known = texts.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`statement ${name} is named twice with different texts`);
  texts.set(name, text);
  return { name, text };
}
