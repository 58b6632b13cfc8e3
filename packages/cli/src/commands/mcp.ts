// `wxgate mcp`: the shared MCP tools (@wxgate/sdk/mcp) on stdin/stdout, for an agent running on this machine.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createWxgateMcpServer } from '@wxgate/sdk/mcp';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';

export function registerMcp(program: Command, version: string): void {
  program
    .command('mcp')
    .description(m.mcp.description)
    .action(action(async (ctx) => {
      const client = ctx.appClient();
      // The agent runs on this machine, so its local paths are its own files (the HTTP transport has no such reader).
      const readLocalFile = async (path: string): Promise<string> => {
        try {
          return (await readFile(path)).toString('base64');
        } catch (err) {
          throw new Error(m.mcp.cannotReadFile(path, (err as Error).message));
        }
      };
      const server = createWxgateMcpServer(client, { version, readLocalFile });
      const transport = new StdioServerTransport();
      // stdout carries the protocol alone; anything for a person goes to stderr.
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', resolve);
        process.stdin.once('close', resolve);
      });
      await server.connect(transport);
      process.stderr.write(`${m.mcp.listening(client.baseUrl)}\n`);
      await closed;
      await server.close();
    }));
}
