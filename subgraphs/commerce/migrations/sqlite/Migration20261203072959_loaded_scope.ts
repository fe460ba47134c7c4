import { Migration } from '@mikro-orm/migrations';

export class Migration20261203072959_loaded_scope extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`loaded_scope\` (\`prefix\` text not null, \`scope\` text not null, primary key (\`prefix\`));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`loaded_scope\`;`);
  }

}
