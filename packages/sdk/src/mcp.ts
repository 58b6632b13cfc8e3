// @wxgate/sdk/mcp: wxgate as MCP tools and resources for AI agents, one definition for the CLI's stdio and the server's HTTP transport.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { WxgateClient } from './client.ts';
import { WxgateError } from './errors.ts';
import { WxgateAgentActions } from './mcp-tools.ts';

export { WxgateAgentActions, chatLine, type ChatLine, type ContactLine, type FriendRequestLine } from './mcp-tools.ts';

export interface WxgateMcpOptions {
  /** Reported to the MCP client as the server's version. */
  version?: string;
  /**
   * Lets send_image / send_file take a local path (read as base64). Only for a server running on the agent's own machine
   * (stdio); the HTTP transport leaves it out so no caller can read the server's files.
   */
  readLocalFile?: (path: string) => Promise<string>;
}

/** The URI of a chat's history resource. */
export const CHAT_RESOURCE_TEMPLATE = 'wxgate://{guid}/chats/{talker}';
const HISTORY_IN_RESOURCE = 50;

const guid = z.string().min(1).describe('instance id (UUID) from list_instances; 实例 guid');
const to = z.string().min(1).describe('receiver: a wxid or a room id (…@chatroom); 接收方 wxid 或群 id');
const media = z.string().min(1).describe('an http(s) URL, a data: URL or base64; a local file path when the server runs on your machine (stdio). 图片/文件地址');

const READ = { readOnlyHint: true, openWorldHint: false } as const;
/** Sends reach real people and cannot be taken back by the tool: not destructive of data, yet not idempotent either. */
const SEND = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;

const json = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });

/** A failed call becomes a tool error the agent can read (code and text as the API gave them), never a protocol failure. */
async function run(body: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return json(await body());
  } catch (err) {
    const text = err instanceof WxgateError
      ? `wxgate error ${err.code} (HTTP ${err.status}): ${err.message}${err.errors.length ? ` — ${err.errors.map((e) => JSON.stringify(e)).join('; ')}` : ''}`
      : err instanceof Error ? err.message : String(err);
    return { isError: true, content: [{ type: 'text', text }] };
  }
}

/** The MCP server: every tool is one or a few API calls through `client`, so its credentials scope what the agent sees. */
export function createWxgateMcpServer(client: WxgateClient, options: WxgateMcpOptions = {}): McpServer {
  const actions = new WxgateAgentActions(client, options.readLocalFile);
  const server = new McpServer({ name: 'wxgate', version: options.version ?? '0.1.0' }, {
    instructions: 'WeChat accounts behind wxgate. Start with list_instances to get a guid (an account), then list_contacts to find a chat, read_messages to read it, and send_text / reply_to_message to answer. Every tool call counts against the instance rate limit like an API call.',
  });

  server.registerTool('list_instances', {
    title: 'List instances',
    description: 'The WeChat instances (accounts) of this app: guid, status (0 stopped, 1 running not logged in, 2 online) and the logged-in wxid. 列出实例',
    annotations: READ,
  }, () => run(() => actions.listInstances()));

  server.registerTool('list_contacts', {
    title: 'List or search contacts and rooms',
    description: 'Contacts and rooms of an instance, optionally only people or only rooms, filtered by a text found in wxid, nickname, remark or alias. 列出/搜索联系人和群',
    inputSchema: {
      guid,
      kind: z.enum(['all', 'people', 'rooms']).default('all').describe('all, people (friends and official accounts) or rooms'),
      query: z.string().optional().describe('case-insensitive text to look for in wxid, nickname, remark or alias'),
      limit: z.number().int().min(1).max(500).default(100).describe('at most this many'),
    },
    annotations: READ,
  }, ({ guid, kind, query, limit }) => run(() => actions.listContacts(guid, kind, query, limit)));

  server.registerTool('read_messages', {
    title: 'Read recent messages of a chat',
    description: 'The newest messages of one chat (a person or a room) from the message archive, oldest first: msg_id, direction (in/out), sender, time, kind and text. 读取会话最近消息',
    inputSchema: {
      guid,
      talker: z.string().min(1).describe('the chat: the peer wxid or the room id'),
      limit: z.number().int().min(1).max(500).default(20).describe('how many of the newest messages'),
    },
    annotations: READ,
  }, ({ guid, talker, limit }) => run(() => actions.recentMessages(guid, talker, limit)));

  server.registerTool('send_text', {
    title: 'Send a text message',
    description: 'Sends a text to a person or a room. In a room, `mention` @-mentions members (put "@nickname " in the text as WeChat shows it). 发送文本',
    inputSchema: {
      guid, to,
      text: z.string().min(1).describe('the text'),
      mention: z.array(z.string().min(1)).default([]).describe('room only: wxids to @-mention; "notify@all" for everyone'),
    },
    annotations: SEND,
  }, ({ guid, to, text, mention }) => run(async () => ({ msg_id: await actions.sendText(guid, to, text, mention) })));

  server.registerTool('send_image', {
    title: 'Send an image',
    description: 'Uploads an image to the CDN and sends it to a person or a room. 发送图片',
    inputSchema: { guid, to, image: media },
    annotations: SEND,
  }, ({ guid, to, image }) => run(async () => ({ msg_id: await actions.sendImage(guid, to, image) })));

  server.registerTool('send_file', {
    title: 'Send a file',
    description: 'Uploads a file to the CDN and sends it to a person or a room under the given name. 发送文件',
    inputSchema: { guid, to, file: media, file_name: z.string().min(1).describe('the name the receiver sees, e.g. report.pdf') },
    annotations: SEND,
  }, ({ guid, to, file, file_name }) => run(async () => ({ msg_id: await actions.sendFile(guid, to, file, file_name) })));

  server.registerTool('reply_to_message', {
    title: 'Reply to a message',
    description: 'Answers a message (by msg_id from read_messages) in its chat. style quote: WeChat quote reply; mention: @-mentions the writer (rooms); plain: just the text. Default: quote in rooms, plain in private chats. 回复消息',
    inputSchema: {
      guid,
      msg_id: z.string().regex(/^\d+$/).describe('msg_id of the message to answer (decimal string)'),
      text: z.string().min(1).describe('the reply'),
      style: z.enum(['quote', 'mention', 'plain']).optional().describe('how to refer to the message'),
      talker: z.string().optional().describe('the chat the message is in; faster lookup, optional'),
    },
    annotations: SEND,
  }, ({ guid, msg_id, text, style, talker }) => run(() => actions.reply(guid, msg_id, text, style, talker)));

  server.registerTool('get_friend_requests', {
    title: 'Get friend requests',
    description: 'Friend requests the account received (newest first, one per person) with what accept_friend_request needs. 获取好友请求',
    inputSchema: { guid },
    annotations: READ,
  }, ({ guid }) => run(() => actions.friendRequests(guid)));

  server.registerTool('accept_friend_request', {
    title: 'Accept a friend request',
    description: 'Accepts a friend request from get_friend_requests (encrypt_username, ticket, scene). 通过好友请求',
    inputSchema: {
      guid,
      encrypt_username: z.string().min(1).describe('encrypt_username of the request (v3_…@stranger)'),
      ticket: z.string().min(1).describe('ticket of the request (v4_…@stranger)'),
      scene: z.number().int().min(0).default(6).describe('scene of the request'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  }, ({ guid, encrypt_username, ticket, scene }) => run(async () => ({ accepted: await actions.acceptFriendRequest(guid, encrypt_username, ticket, scene) })));

  server.registerResource('chat-history', new ResourceTemplate(CHAT_RESOURCE_TEMPLATE, { list: undefined }), {
    title: 'Chat history',
    description: `The newest ${HISTORY_IN_RESOURCE} messages of a chat (a person or a room) of an instance, as JSON. 会话历史`,
    mimeType: 'application/json',
  }, async (uri, variables) => {
    const one = (v: string | string[] | undefined): string => decodeURIComponent(Array.isArray(v) ? v[0] ?? '' : v ?? '');
    const lines = await actions.recentMessages(one(variables.guid), one(variables.talker), HISTORY_IN_RESOURCE);
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(lines, null, 2) }] };
  });

  return server;
}
