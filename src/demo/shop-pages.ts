/**
 * The demo shop's other pages, one module each in pages/ (the server loads every module there): the cart
 * (flow checkout), the account (flow account) and search (flow search). Each is written from the parts its
 * history has shipped so far, so every commit of the demo's history changes the code it says it changes.
 */

/** What the cart has shipped: `price-helper` is the refactor that broke lower-case coupon codes, `coupon-fix` its fix. */
export type CartPart =
  | 'tax'
  | 'coupon'
  | 'price-helper'
  | 'coupon-fix'
  | 'saved-card'
  | 'gift-wrap'
  | 'shipping'
  | 'order-notes'
  | 'delivery'
  | 'add-from-search'
  | 'saving';
export type AccountPart =
  'keep-email' | 'reset' | 'orders' | 'change-email' | 'export' | 'sign-out-all' | 'language' | 'member-since';
export type SearchPart = 'price' | 'category' | 'suggest' | 'highlight' | 'add-to-cart' | 'no-results';

const escape = `const escape = (text) => String(text).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');`;
const lines = (...all: (string | false)[]) => `${all.filter((line) => line !== false).join('\n')}\n`;

/** The cart's total: two items, 20% VAT once it shipped, 10% off with the coupon SPRING. */
export function cartTotal(parts: ReadonlySet<CartPart>, coupon: boolean): string {
  const total = 113 * (coupon ? 0.9 : 1) * (parts.has('tax') ? 1.2 : 1);
  return `$${total.toFixed(2)}`;
}

export function cartPage(parts: ReadonlySet<CartPart>): string {
  const has = (part: CartPart) => parts.has(part);
  // the refactor looks the code up as typed: "spring" finds no coupon and the order fails; the fix upper-cases it
  const lookup = !has('price-helper')
    ? `const discountOf = (code) => coupons[(code ?? '').trim().toUpperCase()] ?? 0;`
    : has('coupon-fix')
      ? `const discountOf = (code) => (code ? coupons[code.trim().toUpperCase()]?.off ?? 0 : 0);`
      : `const discountOf = (code) => (code ? coupons[code.trim()].off : 0);`;
  const coupons = has('price-helper') ? `{ SPRING: { off: 0.1 } }` : `{ SPRING: 0.1 }`;
  const total = has('price-helper')
    ? [
        '// one price for the cart and the order',
        `const priceOf = (code) => items.reduce((sum, item) => sum + item.price, 0) * (1 - discountOf(code))${has('tax') ? ' * 1.2' : ''};`,
      ]
    : [
        `const subtotal = () => items.reduce((sum, item) => sum + item.price, 0);`,
        `const priceOf = (code) => subtotal() * (1 - ${has('coupon') ? 'discountOf(code)' : '0'})${has('tax') ? ' * 1.2' : ''};`,
      ];
  return lines(
    '// The cart and its order: the checkout flow.',
    escape,
    `const items = [{ name: 'Coffee grinder', price: 89 }, { name: 'Espresso cups (set of 4)', price: 24 }];`,
    has('coupon') && `const coupons = ${coupons};`,
    has('coupon') && lookup,
    ...total,
    `const money = (amount) => '$' + amount.toFixed(2);`,
    '',
    'export const routes = {',
    `  'GET /cart': ({ url, page }) => [200, page('Cart', '<h1>Cart</h1><ul>' + items.map((item) => '<li>' + escape(item.name) + ' ' + money(item.price) + '</li>').join('') + '</ul>'`,
    has('add-from-search') &&
      `    + (url.searchParams.get('add') ? '<p>Added: ' + escape(url.searchParams.get('add')) + '</p>' : '')`,
    `    + '<p>Total${has('tax') ? ' (incl. VAT)' : ''}: ' + money(priceOf()) + '</p>'`,
    has('shipping') && `    + '<p>Shipping: free on orders over $50</p>'`,
    has('delivery') && `    + '<p>Arrives in 2-3 working days</p>'`,
    `    + '<form method="post" action="/order">'`,
    has('coupon') && `    + '<label>Coupon code <input name="coupon"></label>'`,
    has('saved-card') &&
      `    + '<label><input type="checkbox" name="saved_card" checked> Pay with the saved card ending 4242</label>'`,
    has('gift-wrap') && `    + '<label><input type="checkbox" name="gift_wrap"> Gift wrap (free)</label>'`,
    has('order-notes') && `    + '<label>Order notes <textarea name="notes"></textarea></label>'`,
    `    + '<button>Place order</button></form>')],`,
    `  'POST /order': async ({ form, page }) => {`,
    `    const order = await form();`,
    `    return [200, page('Thank you', '<h1>Thank you for your order</h1><p>Total paid: ' + money(priceOf(order.coupon)) + '</p>'`,
    has('saving') &&
      `      + (order.coupon ? '<p>The coupon saved ' + money(priceOf() - priceOf(order.coupon)) + '</p>' : '')`,
    has('order-notes') && `      + (order.notes ? '<p>Your note: ' + escape(order.notes) + '</p>' : '')`,
    `    )];`,
    '  },',
    '};',
  );
}

export function accountPage(parts: ReadonlySet<AccountPart>): string {
  const has = (part: AccountPart) => parts.has(part);
  return lines(
    '// Signing in and the account page: the account flow.',
    escape,
    `const signIn = (email = '') => '<form method="post" action="/login"><label>Email <input name="email" value="' + escape(email) + '"></label>'`,
    `  + '<label>Password <input type="password" name="password"></label><button>Sign in</button></form>'${has('reset') ? `\n  + '<p><a href="/password-reset">Forgot your password?</a></p>'` : ''};`,
    '',
    'export const routes = {',
    `  'GET /login': ({ page }) => [200, page('Sign in', '<h1>Sign in</h1>' + signIn())],`,
    `  'POST /login': async ({ form, page }) => {`,
    `    const { email, password } = await form();`,
    `    if (!email || !password) return [401, page('Sign in', '<h1>Sign in</h1><p role="alert">Wrong e-mail or password</p>' + signIn(${has('keep-email') ? 'email' : ''}))];`,
    `    return [303, '', { location: '/account' }];`,
    '  },',
    `  'GET /account': ({ page }) => [200, page('Your account', '<h1>Your account</h1>'`,
    has('orders') && `    + '<h2>Recent orders</h2><ul><li>Coffee grinder</li><li>Espresso cups (set of 4)</li></ul>'`,
    has('change-email') &&
      `    + '<form method="post" action="/account/email"><label>New e-mail <input name="email"></label><button>Change e-mail</button></form>'`,
    has('member-since') && `    + '<p>Member since March 2024</p>'`,
    has('language') &&
      `    + '<label>Language of e-mails <select name="language"><option>English</option><option>Deutsch</option><option>Francais</option></select></label>'`,
    has('export') && `    + '<p><a href="/account/data">Download your data</a></p>'`,
    has('sign-out-all') &&
      `    + '<form method="post" action="/account/sign-out"><button>Sign out everywhere</button></form>'`,
    `  )],`,
    has('reset') &&
      `  'GET /password-reset': ({ page }) => [200, page('Reset', '<h1>Reset your password</h1><form method="post" action="/password-reset"><label>Email <input name="email"></label><button>Send reset link</button></form>')],`,
    has('reset') && `  'POST /password-reset': ({ page }) => [200, page('Reset', '<h1>Check your inbox</h1>')],`,
    has('change-email') && `  'POST /account/email': async ({ form, page }) => {`,
    has('change-email') && `    const { email } = await form();`,
    has('change-email') &&
      `    return [200, page('Your account', '<h1>Your account</h1><p>We sent a confirmation to ' + escape(email) + '</p>')];`,
    has('change-email') && '  },',
    has('export') &&
      `  'GET /account/data': ({ page }) => [200, page('Your data', '<h1>Your data</h1><p>Your export is being prepared.</p>')],`,
    has('sign-out-all') &&
      `  'POST /account/sign-out': ({ page }) => [200, page('Signed out', '<h1>You are signed out on every device</h1>')],`,
    '};',
  );
}

export function searchPage(parts: ReadonlySet<SearchPart>): string {
  const has = (part: SearchPart) => parts.has(part);
  const name = has('highlight')
    ? `product.name.replace(new RegExp('(' + query.replace(/[^a-z0-9 ]/gi, '') + ')', 'i'), '<mark>$1</mark>')`
    : 'escape(product.name)';
  return lines(
    '// Searching the catalogue: the search flow.',
    escape,
    `const catalogue = [`,
    `  { name: 'Coffee grinder', category: 'Grinders', price: 89 },`,
    `  { name: 'Hand grinder', category: 'Grinders', price: 45 },`,
    `  { name: 'Espresso cups (set of 4)', category: 'Cups', price: 24 },`,
    `];`,
    '',
    'export const routes = {',
    `  'GET /search': ({ url, page }) => {`,
    `    const query = (url.searchParams.get('q') ?? '').trim();`,
    has('category') && `    const category = url.searchParams.get('category') ?? '';`,
    `    const found = catalogue.filter((product) => query && product.name.toLowerCase().includes(query.toLowerCase())${has('category') ? ' && (!category || product.category === category)' : ''});`,
    `    const result = (product) => '<li>' + ${name}${has('price') ? ` + ' $' + product.price` : ''}${has('add-to-cart') ? ` + ' <a href="/cart?add=' + encodeURIComponent(product.name) + '">Add to cart</a>'` : ''} + '</li>';`,
    `    return [200, page('Search', '<h1>Search</h1><form><label>Search <input name="q" value="' + escape(query)${has('suggest') ? ` + '" list="suggestions"><datalist id="suggestions">' + catalogue.map((product) => '<option value="' + escape(product.name) + '">').join('') + '</datalist>'` : ` + '">'`}`,
    has('category') &&
      `      + '<label>Category <select name="category"><option value="">All</option><option>Grinders</option><option>Cups</option></select></label>'`,
    `      + '<button>Search</button></form><ul>' + found.map(result).join('') + '</ul>'`,
    has('no-results') &&
      `      + (query && found.length === 0 ? '<p>No products match. Try Grinders or Cups.</p>' : '')`,
    `    )];`,
    '  },',
    '};',
  );
}
