import type { Types } from 'mongoose';
import { UserModel } from '../../../models/user.js';
import { linkMentions, mentionedNames } from '../../lib/mentions.js';

export interface Mentioned {
  id: Types.ObjectId;
  username: string;
}

/**
 * The accounts a comment's Markdown mentions (`@name`), by lowercased name: one indexed read per
 * name (usernameLower is unique), five names at most.
 */
export async function findMentions(source: string): Promise<Map<string, Mentioned>> {
  const found = new Map<string, Mentioned>();
  for (const name of mentionedNames(source)) {
    const user = await UserModel.findOne({ usernameLower: name })
      .select('_id username')
      .lean<{ _id: Types.ObjectId; username: string }>();
    if (user) found.set(name, { id: user._id, username: user.username });
  }
  return found;
}

/** Rendered comment HTML with its mentions of those accounts linked to their profiles. */
export function withMentionLinks(html: string, mentioned: Map<string, Mentioned>): string {
  return linkMentions(html, new Map([...mentioned].map(([name, m]) => [name, m.username])));
}
