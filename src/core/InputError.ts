/**
 * Bad input from the user: a config file, a CLI flag, a model file.
 *
 * `where` names the file, field or flag at fault; the CLI prints the whole message on one line and
 * exits with code 2. Anything else thrown is a bug or a fault inside an episode, never the user's.
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}
