// Seeds the demo catalogue through the public API: the categories and shops
// of catalogue.mjs beside the hand-made demo, `count` generated products with
// spec matrices, stock and a picture drawn here, and past orders paid by card
// so dashboards, "bought together" and sales sorting have something to show.
import { CATEGORIES, SHOPS, generateProducts, random } from './catalogue.mjs';
import { drawPicture } from './pictures.mjs';

/** Runs `fn` over `items`, `width` at a time, in order of start. */
async function pool(items, width, fn) {
  let next = 0;
  const results = new Array(items.length);
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** A progress line: redrawn in place on a terminal, a line per quarter in a log. */
export function progress(label, total) {
  const tty = process.stdout.isTTY;
  let done = 0;
  let quarter = -1;
  const draw = () => {
    const share = total === 0 ? 1 : done / total;
    const bar = `${'#'.repeat(Math.round(share * 24)).padEnd(24, '.')}`;
    const line = `  ${label.padEnd(18)} [${bar}] ${String(done).padStart(4)}/${total}`;
    if (tty) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (Math.floor(share * 4) !== quarter) {
      quarter = Math.floor(share * 4);
      console.log(line);
    }
  };
  draw();
  return () => {
    done++;
    draw();
  };
}

// the picture's colour of a SKU's spec values (colour, glaze), else the category's
const SPEC_COLOURS = { celadon: '#5f9e8f', tenmoku: '#3b2a20', white: '#d9d2c0', indigo: '#2f4f7f', natural: '#c8b48e', black: '#2b2b2b' };
const CATEGORY_COLOURS = { tea: '#6d8b3a', beauty: '#c98a6b', stationery: '#8a6bb5', kitchen: '#6b4f3a', home: '#b5482f', bags: '#7a4a2a' };

export async function seedCatalogue({ api, retrying, submitCard, admin, account, shop, existing, t, slug, count = 200 }) {
  const started = Date.now();
  const rnd = random(20261201);
  const token = (s) => s.tokens.accessToken;

  // categories: the demo's two top-level ones get their missing children; the other six come whole
  const categoryIds = new Map();
  const templates = new Map();
  for (const top of CATEGORIES) {
    let topId = existing.categories[top.slug];
    if (!topId) {
      topId = (await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: slug(top.slug), name: top.name, position: CATEGORIES.indexOf(top) + 1 } })).id;
      await api('PUT', `/admin/categories/${topId}/spec-template`, { token: admin, body: { specs: top.specs.map((s) => ({ key: s.key, name: s.name, values: s.values.map(({ key, name }) => ({ key, name })) })) } });
    }
    templates.set(top.slug, (await api('GET', `/categories/${topId}/spec-template`)).specs);
    for (const sub of top.subs) {
      const id = existing.categories[sub.slug] ?? (await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { parentId: topId, slug: sub.slug, name: sub.name } })).id;
      categoryIds.set(sub.slug, id);
    }
  }

  // shops: the demo's two, and four more
  const shops = new Map(Object.entries(existing.shops));
  for (const s of SHOPS.filter((x) => !shops.has(x.who))) shops.set(s.who, await shop(s.who, s.zh, s.en, s.commissionBps));

  // products, each with its matrix, stock and picture (pictures are drawn once per shape and colour)
  const pictures = new Map();
  const picture = (shape, colour) => {
    const key = `${shape}:${colour}`;
    if (!pictures.has(key)) pictures.set(key, drawPicture(shape, colour).toString('base64'));
    return pictures.get(key);
  };
  const plans = generateProducts(count, SHOPS, rnd);
  let barcode = 0;
  const stamp = Date.now().toString(36).slice(-5);
  const tick = progress('products', plans.length);
  const made = await pool(plans, 6, async (plan) => {
    const s = shops.get(plan.shop);
    const template = templates.get(plan.top);
    // one to three values of each spec, the first always among them
    const specs = template.map((spec, k) => ({ key: spec.key, values: spec.values.slice(0, Math.min(spec.values.length, k === 0 ? plan.pickCount : 1 + (plan.pickCount % 2))).map((x) => x.key) }));
    const combos = specs.reduce((acc, sp) => acc.flatMap((p) => sp.values.map((x) => ({ ...p, [sp.key]: x }))), [{}]);
    const created = await api('POST', `/shops/${s.id}/products`, {
      token: token(s),
      idempotent: true,
      body: {
        categoryId: categoryIds.get(plan.sub),
        name: plan.name,
        description: t(`${plan.name['zh-CN']}，选材讲究，做工细致，适合日常使用与送礼。`, `${plan.name.en}: chosen materials and careful work, for every day or as a gift.`),
        brand: plan.brand,
        attributes: [{ name: t('编号', 'Item no.'), value: t(plan.serial, plan.serial) }],
        specs,
        skus: combos.map((specValues, i) => ({
          specValues,
          price: { amount: plan.price + i * 1000, currency: 'CNY' },
          originalPrice: plan.rnd < 0.4 ? { amount: Math.round((plan.price + i * 1000) * 1.25), currency: 'CNY' } : null,
          barcode: `DM${stamp}${String(barcode++).padStart(5, '0')}`,
          weightGrams: 150 + i * 25,
        })),
      },
    });
    const first = created.skus[0].specValues;
    const colour = SPEC_COLOURS[first.glaze] ?? SPEC_COLOURS[first.colour] ?? (template[0].key === 'colour' ? CATEGORIES.find((c) => c.slug === plan.top).specs[0].values.find((x) => x.key === first.colour)?.colour : undefined) ?? CATEGORY_COLOURS[plan.top] ?? '#5f9e8f';
    await api('POST', `/shops/${s.id}/products/${created.id}/images`, { token: token(s), idempotent: true, body: { contentType: 'image/png', dataBase64: picture(plan.shape, colour) } });
    await retrying(() => api('POST', `/shops/${s.id}/products/${created.id}/publish`, { token: token(s) }));
    // stock: about one product in ten sold out, the rest 5 to 80 units a SKU
    if (plan.rnd >= 0.1) {
      for (const [i, sku] of created.skus.entries()) {
        await api('POST', `/shops/${s.id}/stock/${sku.id}/receipts`, { token: token(s), idempotent: true, body: { quantity: 5 + Math.floor(((plan.rnd * 1000 + i * 37) % 76)), reason: 'first delivery' } });
      }
    }
    tick();
    return { ...created, shopId: s.id, inStock: plan.rnd >= 0.1 };
  });

  // past orders: shoppers buying pairs that go together (neighbours in the list are of neighbouring
  // categories: cups with teapots, shirts with scarves), paid by card
  const buyers = await pool(Array.from({ length: 10 }, (_, i) => i), 5, async (i) => {
    const a = await account(`shopper${i + 1}`, `Shopper ${i + 1}`);
    return a.tokens.accessToken;
  });
  const stocked = made.filter((p) => p.inStock);
  const at = (k) => stocked[k % stocked.length];
  const orders = stocked.length < 3 ? [] : Array.from({ length: 36 }, (_, j) => {
    const a = (j * 5) % Math.min(24, stocked.length);
    return { buyer: buyers[j % buyers.length], lines: [...new Set([at(a), at(a + 1), ...(j % 3 === 0 ? [at(a + 2)] : [])])].map((p) => ({ skuId: p.skus[0].id, quantity: 1 + (j % 2) })) };
  });
  const paidTick = progress('past orders', orders.length);
  let cancelled = 0;
  await pool(orders, 4, async (o) => {
    const placed = await api('POST', '/checkout', { token: o.buyer, idempotent: true, body: { paymentMethod: 'card', lines: o.lines } });
    const pending = await retrying(async () => {
      const order = await api('GET', `/orders/${placed.id}`, { token: o.buyer });
      if (order.status === 'cancelled') return order;
      if (!order.payment?.hostedUrl) throw new Error('no payment page yet');
      return order;
    });
    if (pending.status === 'cancelled') {
      // sold out by the orders before it (a small catalogue): left as a cancelled order, as a shop would see it
      cancelled++;
      paidTick();
      return;
    }
    await submitCard(pending.payment.hostedUrl);
    await retrying(async () => {
      const order = await api('GET', `/orders/${placed.id}`, { token: o.buyer });
      if (order.status !== 'paid') throw new Error(`order ${order.status}`);
    });
    paidTick();
  });
  console.log(`  catalogue: ${CATEGORIES.length} top-level categories, ${shops.size} shops, ${made.length} products, ${orders.length - cancelled} past orders paid${cancelled ? ` (${cancelled} cancelled: sold out)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { products: made, shops };
}
