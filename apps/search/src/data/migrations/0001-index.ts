import type { Migration } from '@emporium/kit';

/**
 * The product index. One document per product catalog ever published (an
 * unpublished one stays as a tombstone, so an older event arriving late cannot
 * bring it back); its words are segmented, folded and spelt out in pinyin by
 * the service and stored as lexemes (no PostgreSQL dictionary is involved, so
 * Chinese works on any server): name words weigh A, brand and category B,
 * description and attributes C.
 */
export const index: Migration = {
  name: '0001-index',
  async up({ query }) {
    // trigram matching for typos lives in its own extension (in `public`, where every schema's queries find it)
    await query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await query(`
      CREATE TABLE documents (
        product_id     uuid        PRIMARY KEY,
        shop_id        uuid        NOT NULL,
        category_id    uuid        NOT NULL,
        category_path  uuid[]      NOT NULL,
        published      boolean     NOT NULL,
        name           jsonb       NOT NULL,
        brand          text        NOT NULL,
        image          text,
        currency       char(3)     NOT NULL,
        min_price      bigint,
        max_price      bigint,
        spec_values    text[]      NOT NULL DEFAULT '{}',
        sku_ids        uuid[]      NOT NULL DEFAULT '{}',
        in_stock       boolean     NOT NULL DEFAULT false,
        sales          integer     NOT NULL DEFAULT 0 CHECK (sales >= 0),
        lexemes        tsvector    NOT NULL,
        version        timestamptz NOT NULL,
        published_at   timestamptz NOT NULL,
        rebuilt_at     timestamptz
      )`);
    await query('CREATE INDEX documents_lexemes ON documents USING gin (lexemes)');
    await query('CREATE INDEX documents_shop ON documents (shop_id)');
    await query('CREATE INDEX documents_newest ON documents (published_at DESC, product_id DESC) WHERE published');
    await query('CREATE INDEX documents_price ON documents (min_price, product_id) WHERE published');
    await query('CREATE INDEX documents_sales ON documents (sales DESC, product_id DESC) WHERE published');
    // the labels of spec keys and values, as the latest product that used them named them
    await query(`CREATE TABLE spec_labels (spec text NOT NULL, value text NOT NULL DEFAULT '', name jsonb NOT NULL, PRIMARY KEY (spec, value))`);
    // stock as inventory last said, per SKU (a SKU's event may come before its product's)
    await query(`
      CREATE TABLE sku_stock (
        sku_id      uuid        PRIMARY KEY,
        product_id  uuid        NOT NULL,
        in_stock    boolean     NOT NULL,
        changed_at  timestamptz NOT NULL
      )`);
    await query('CREATE INDEX sku_stock_product ON sku_stock (product_id)');
    // units sold per product from paid orders (kept apart: an order may name a product before it is indexed)
    await query('CREATE TABLE sales (product_id uuid PRIMARY KEY, units integer NOT NULL CHECK (units >= 0))');
    // shops as shop's events named them; a suspended shop's documents leave every answer
    await query('CREATE TABLE shops (shop_id uuid PRIMARY KEY, name jsonb, suspended boolean NOT NULL DEFAULT false)');
    // every word the index holds (Latin script and pinyin): what a misspelt query word is corrected to
    await query('CREATE TABLE vocabulary (word text PRIMARY KEY)');
    await query('CREATE INDEX vocabulary_prefix ON vocabulary (word text_pattern_ops)');
    await query('CREATE INDEX vocabulary_trgm ON vocabulary USING gin (word public.gin_trgm_ops)');
    await query(`CREATE TABLE synonym_sets (id serial PRIMARY KEY, terms text[] NOT NULL CHECK (cardinality(terms) >= 2))`);
    await query(`INSERT INTO synonym_sets (terms) VALUES
      ('{手机,电话,phone,mobile,smartphone}'), ('{耳机,耳麦,headphones,earphones,earbuds}'),
      ('{笔记本电脑,笔记本,laptop,notebook}'), ('{茶壶,壶,teapot}'), ('{杯子,杯,cup,mug}'),
      ('{t恤,tee,t-shirt,tshirt}'), ('{运动鞋,跑鞋,sneakers,trainers}'), ('{外套,夹克,jacket,coat}')`);
    await query(`
      CREATE TABLE rebuilds (
        id           integer     PRIMARY KEY CHECK (id = 1),
        status       text        NOT NULL CHECK (status IN ('idle', 'running', 'done', 'failed')),
        indexed      integer     NOT NULL DEFAULT 0,
        total        integer     NOT NULL DEFAULT 0,
        removed      integer     NOT NULL DEFAULT 0,
        started_at   timestamptz,
        finished_at  timestamptz,
        heartbeat    timestamptz,
        error        text
      )`);
    await query(`INSERT INTO rebuilds (id, status) VALUES (1, 'idle')`);
  },
};
