// Commander's own texts (help headings, its help/version options, "(default: …)", parse errors) from the catalog.
import { Help, type Command, type Option } from 'commander';
import type { Messages } from './en.ts';

/**
 * Commander builds its parse errors as English sentences and passes only the finished text to the output hook, so
 * they are recognised by the shapes commander 14 writes (help.js / command.js) and rebuilt from the catalog. A text
 * of another shape, from a later commander, passes through in English rather than being lost.
 */
export function translateCommanderError(text: string, t: Messages['help']): string {
  const [first = '', ...rest] = text.replace(/\n$/, '').split('\n');
  let line = first;
  let match: RegExpExecArray | null;
  if ((match = /^error: unknown command '(.*)'$/.exec(first))) line = t.unknownCommand(match[1]!);
  else if ((match = /^error: unknown option '(.*)'$/.exec(first))) line = t.unknownOption(match[1]!);
  else if ((match = /^error: missing required argument '(.*)'$/.exec(first))) line = t.missingArgument(match[1]!);
  else if ((match = /^error: option '(.*)' argument missing$/.exec(first))) line = t.optionMissingArgument(match[1]!);
  else if ((match = /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/.exec(first))) {
    line = match[1] !== undefined
      ? t.tooManyArgumentsFor(match[1], Number(match[2]), Number(match[3]))
      : t.tooManyArguments(Number(match[2]), Number(match[3]));
  }
  const suggestions = rest.map((extra) => {
    const oneOf = /^\(Did you mean one of (.*)\?\)$/.exec(extra);
    if (oneOf) return t.didYouMeanOneOf(oneOf[1]!);
    const one = /^\(Did you mean (.*)\?\)$/.exec(extra);
    return one ? t.didYouMean(one[1]!) : extra;
  });
  return [line, ...suggestions].join('\n') + '\n';
}

const HEADINGS = (t: Messages['help']): Record<string, string> => ({
  'Usage:': t.usage,
  'Options:': t.options,
  'Commands:': t.commands,
  'Arguments:': t.arguments,
  'Global Options:': t.globalOptions,
});

/**
 * Applies the catalog to `program` before any subcommand is added: commander copies these settings into each command
 * `.command()` creates, so the whole tree speaks one language.
 */
export function localizeCommander(program: Command, t: Messages['help']): Command {
  const headings = HEADINGS(t);
  const plain = new Help();
  return program
    .helpOption('-h, --help', t.helpOption)
    .helpCommand('help [command]', t.helpCommand)
    .configureHelp({
      styleTitle: (title: string) => headings[title] ?? title,
      // The defaults shown are the CLI's own option values; commander's "(default: …)" is the one phrase to replace.
      optionDescription(option: Option): string {
        const showDefault = option.defaultValue !== undefined && (option.required || option.optional);
        if (!showDefault) return plain.optionDescription(option);
        const value = option.defaultValueDescription || JSON.stringify(option.defaultValue);
        return `${option.description} ${t.defaultValue(value)}`.trim();
      },
    })
    .configureOutput({ outputError: (text, write) => write(translateCommanderError(text, t)) })
    .showHelpAfterError(t.afterError);
}
