#!/usr/bin/env node
import { InputError, tuneGarbageCollector } from '../core/index.js';

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** One file per subcommand, loaded on demand. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  eval: () => import('./eval.js'),
  bench: () => import('./bench.js'),
  render: () => import('./render.js'),
  collect: () => import('./collect.js'),
  cache: () => import('./cache.js'),
  train: () => import('./train.js'),
  'train-perception': () => import('./trainPerception.js'),
  sweep: () => import('./sweep.js'),
  merge: () => import('./merge.js'),
  gate: () => import('./gate.js'),
  export: () => import('./export.js'),
  report: () => import('./report.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = await Promise.all(Object.entries(COMMANDS).map(async ([n, load]) => `  ${n.padEnd(16)} ${(await load()).summary}`));
    console.log(`usage: sam2grasp <command> [flags]   (sam2grasp <command> --help for its flags)\n\n${lines.join('\n')}`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) throw new InputError('command', `unknown "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return (await load()).run(rest);
}

tuneGarbageCollector();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError) {
      console.error(`sam2grasp: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
