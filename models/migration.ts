import mongoose, { Schema } from 'mongoose';

/** A data migration that has run on this database: its name, and when it finished. */
const migrationSchema = new Schema({
  _id: { type: String, required: true },
  finishedAt: { type: Date, required: true },
});

export const MigrationModel = mongoose.model('Migration', migrationSchema);
