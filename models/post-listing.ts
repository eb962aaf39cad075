import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * Where a published post stands in the lists readers page through: one row for the home
 * page and the feed (tag ''), one for each of its tags. The _id orders the rows by
 * publication time (its first four bytes are the publication time in seconds), so a list is
 * read newest first in index order, one page at a time, however many posts there are.
 * Derived from the posts, rebuilt by a migration, never edited by hand.
 */
const postListingSchema = new Schema({
  post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
  tag: { type: String, default: '' },
});

postListingSchema.index({ tag: 1, _id: -1 });
postListingSchema.index({ post: 1 });

export type PostListing = InferSchemaType<typeof postListingSchema> & { _id: Types.ObjectId };
export const PostListingModel = mongoose.model('PostListing', postListingSchema);
