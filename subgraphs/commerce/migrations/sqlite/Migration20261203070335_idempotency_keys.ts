import { Migration } from '@mikro-orm/migrations';

export class Migration20261203070335_idempotency_keys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_key\` (\`caller\` text not null, \`key\` text not null, \`field\` text not null, \`fingerprint\` text not null, \`operation\` text not null, \`response\` text null, \`created_at\` text not null, primary key (\`caller\`, \`key\`, \`field\`));`);
    this.addSql(`create index \`idempotency_key_created_at_index\` on \`idempotency_key\` (\`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`idempotency_key\`;`);
  }

}
