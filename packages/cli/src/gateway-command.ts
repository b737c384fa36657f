import type { Command, CommandContext } from './command.js';
import { EXIT } from './errors.js';

/** What a command asks the gateway: a path (GET), or a path with its method and JSON body. */
export type GatewayRequest = string | { path: string; method?: string; body?: unknown };

/**
 * A command that asks the gateway once and prints its answer: `text` writes it for people, `--json`
 * prints `value` (the answer itself unless told). Usage errors thrown by `request` come before any call.
 */
export function gatewayCommand<T>(
  command: Omit<Command, 'run'>,
  request: (context: CommandContext) => GatewayRequest | Promise<GatewayRequest>,
  text: (answer: T) => string,
  value: (answer: T) => unknown = (answer) => answer,
): Command {
  return {
    ...command,
    run: async (context) => {
      const asked = await request(context);
      const { path, method, body } = typeof asked === 'string' ? { path: asked } : asked;
      const answer = await context.client.json<T>(path, { method, body });
      context.out.result(value(answer), text(answer));
      return EXIT.ok;
    },
  };
}

/** A command that asks the gateway once and prints its JSON answer (indented for people; `done` when it has none). */
export const jsonCommand = (
  command: Omit<Command, 'run'>,
  request: (context: CommandContext) => GatewayRequest | Promise<GatewayRequest>,
): Command =>
  gatewayCommand<unknown>(
    command,
    request,
    (answer) => (answer === undefined ? 'done' : JSON.stringify(answer, null, 2)),
    (answer) => answer ?? { done: true },
  );
