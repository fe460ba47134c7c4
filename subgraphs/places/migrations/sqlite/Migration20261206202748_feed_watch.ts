import { Migration } from '@mikro-orm/migrations';

export class Migration20261206202748_feed_watch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`feed_watch\` (\`domain\` text not null, \`generation\` text not null, \`high_id\` integer not null, \`high_stamp\` text not null, primary key (\`domain\`));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`feed_watch\`;`);
  }

}
