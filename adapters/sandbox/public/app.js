// The sandbox page: a LINE pane (the lead's phone) and a Slack pane (the staff's client) over the
// real service. Plain DOM, no build step. The server pushes "change" events (SSE); the page then
// reloads the whole state and redraws. Every action goes through the sandbox API, which sends
// signed requests into the product.

const TEXT = {
  ja: {
    title: 'tsuikyaku サンドボックス',
    clockLabel: '時計',
    jump5m: '+5分',
    jump30m: '+30分',
    jump1h: '+1時間',
    jumpMorning: '翌営業日の朝へ',
    jumpWeek: '+1週間',
    lineTitle: 'LINE（リードのスマホ）',
    slackTitle: 'Slack（スタッフの画面）',
    persona: 'リード',
    follow: '友だち追加',
    block: 'ブロック',
    newPersona: '新しいリード',
    create: '作成',
    lineMessage: 'メッセージ',
    send: '送信',
    sticker: 'スタンプ',
    image: '画像',
    location: '位置情報',
    person: '表示中のスタッフ',
    thread: 'スレッド',
    close: '閉じる',
    reply: '返信',
    slackMessage: 'メッセージ（/ で始めるとスラッシュコマンド）',
    jobs: 'ジョブの実行履歴',
    dm: 'アプリとのDM',
    team: 'チームチャンネル',
    replies: (n) => `${n}件の返信`,
    onlyYou: 'あなただけに表示されています',
    edited: '（編集済み）',
    followed: '友だち追加しました',
    unblocked: 'ブロックを解除しました',
    blocked: 'ブロックしました',
    notFriend: '（友だちではありません）',
    blockedMark: '（ブロック中）',
    friendMark: '（友だち）',
    roleManager: 'マネージャー',
    roleRep: '営業',
    roleNone: 'スタッフ未登録',
    emptyChat: 'まだメッセージはありません',
    via: { reply: '応答メッセージ', push: 'プッシュメッセージ', multicast: 'マルチキャストメッセージ' },
    ran: '実行',
    skipped: '実行済みのため省略',
    times: (n) => `（${n}回）`,
    cancel: 'キャンセル',
    submit: '送信',
    choose: '選択してください',
    lang: 'English',
    failed: '失敗しました: ',
    stopped:
      'サンドボックスが停止しています。npm run sandbox で起動し直すと、このページは自動で再接続します。',
    mentionList: 'メンションする人',
    sticker_shown: '（スタンプ）',
    image_shown: '（画像）',
    location_shown: '（位置情報）',
    jobNames: {
      'morning-digest': '朝の追客リスト',
      'speed-to-lead': '未返信の催促',
      'purchase-timing': '検討時期の進行',
      'step-dispatch': 'ステップ配信',
    },
    you: 'あなた',
    download: (name) => `${name} をダウンロード`,
    openImage: (title) => `${title}（画像を開く）`,
  },
  en: {
    title: 'tsuikyaku sandbox',
    clockLabel: 'Clock',
    jump5m: '+5 min',
    jump30m: '+30 min',
    jump1h: '+1 hour',
    jumpMorning: 'Next working morning',
    jumpWeek: '+1 week',
    lineTitle: "LINE (the lead's phone)",
    slackTitle: "Slack (the staff's view)",
    persona: 'Lead',
    follow: 'Add friend',
    block: 'Block',
    newPersona: 'New lead',
    create: 'Create',
    lineMessage: 'Message',
    send: 'Send',
    sticker: 'Sticker',
    image: 'Image',
    location: 'Location',
    person: 'Viewing as',
    thread: 'Thread',
    close: 'Close',
    reply: 'Reply',
    slackMessage: 'Message (start with / for a slash command)',
    jobs: 'Job runs',
    dm: 'DM with the app',
    team: 'Team channel',
    replies: (n) => `${n} ${n === 1 ? 'reply' : 'replies'}`,
    onlyYou: 'Only visible to you',
    edited: '(edited)',
    followed: 'Added as a friend',
    unblocked: 'Unblocked',
    blocked: 'Blocked',
    notFriend: '(not a friend)',
    blockedMark: '(blocked)',
    friendMark: '(friend)',
    roleManager: 'manager',
    roleRep: 'rep',
    roleNone: 'not staff',
    emptyChat: 'No messages yet',
    via: { reply: 'reply message', push: 'push message', multicast: 'multicast message' },
    ran: 'ran',
    skipped: 'already run, skipped',
    times: (n) => ` (${n} times)`,
    cancel: 'Cancel',
    submit: 'Submit',
    choose: 'Choose…',
    lang: '日本語',
    failed: 'Failed: ',
    stopped:
      'The sandbox has stopped. Start it again with npm run sandbox and this page reconnects by itself.',
    mentionList: 'People to mention',
    sticker_shown: '(sticker)',
    image_shown: '(image)',
    location_shown: '(location)',
    jobNames: {
      'morning-digest': 'Morning follow-up list',
      'speed-to-lead': 'Unanswered reminders',
      'purchase-timing': 'Purchase timing',
      'step-dispatch': 'Step messages',
    },
    you: 'You',
    download: (name) => `Download ${name}`,
    openImage: (title) => `${title} (open the image)`,
  },
};

const ui = {
  lang: localStorage.getItem('sandbox.lang') ?? 'ja',
  persona: localStorage.getItem('sandbox.persona') ?? '',
  person: localStorage.getItem('sandbox.person') ?? '',
  channel: '',
  threadTs: '',
  state: null,
  openViewId: '',
  stopped: false,
};
const $ = (id) => document.getElementById(id);
const t = () => TEXT[ui.lang] ?? TEXT.ja;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// --- talking to the sandbox -----------------------------------------------------------------

/** Actions in flight, by what they act on: their controls stay disabled and a second start is ignored. */
const busy = new Set();
/** The Idempotency-Key of each action not yet answered, kept while the request is the same one. */
const pendingKeys = new Map();

function newKey() {
  // getRandomValues, not randomUUID: the page may be opened over plain http on another host.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends one action of a person (a message, a button, a modal) once, as a LINE or Slack client
 * does: `id` names what it acts on; while it is in flight its controls are disabled and a second
 * start is ignored, and its Idempotency-Key stays the same until the sandbox answers, so a
 * repeated request has no second effect there. Resolves with the answer, or undefined after a
 * failure, which the status line explains.
 */
async function act(id, path, body) {
  if (busy.has(id)) return undefined;
  busy.add(id);
  applyBusy();
  const fingerprint = `${path} ${JSON.stringify(body ?? {})}`;
  let pending = pendingKeys.get(id);
  if (pending?.fingerprint !== fingerprint) {
    pending = { fingerprint, key: newKey() };
    pendingKeys.set(id, pending);
  }
  try {
    const res = await fetch(`/sandbox/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': pending.key },
      body: JSON.stringify(body ?? {}),
    });
    const answer = await res.json().catch(() => ({}));
    pendingKeys.delete(id);
    setStopped(false);
    if (!res.ok || answer.ok === false) {
      setStatus(t().failed + (answer.error ?? `HTTP ${res.status}`));
      return undefined;
    }
    setStatus('');
    return answer;
  } catch {
    // No answer at all: the sandbox is not running (the key is kept for a retry of the same action).
    setStopped(true);
    return undefined;
  } finally {
    busy.delete(id);
    if (ui.state) render();
    else applyBusy();
  }
}

/** Disables the controls of actions in flight, on top of what render() decided. */
function applyBusy() {
  for (const node of document.querySelectorAll('[data-busy]')) {
    const inFlight = busy.has(node.dataset.busy);
    if (inFlight) node.disabled = true;
    else if (node.dataset.off !== 'true') node.disabled = false;
    if (inFlight) node.setAttribute('aria-busy', 'true');
    else node.removeAttribute('aria-busy');
  }
}

/** Enables or disables a control for reasons other than an action in flight. */
function setEnabled(node, enabled) {
  node.dataset.off = enabled ? 'false' : 'true';
  node.disabled = !enabled;
}

function setStatus(text) {
  if (ui.stopped) return;
  $('status').textContent = text;
}

function setStopped(stopped) {
  if (ui.stopped === stopped) return;
  ui.stopped = stopped;
  document.body.classList.toggle('stopped', stopped);
  $('status').textContent = stopped ? t().stopped : '';
}

let loading = false;
let again = false;
async function reload() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const res = await fetch('/sandbox/api/state');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    ui.state = await res.json();
    setStopped(false);
    render();
  } catch {
    setStopped(true);
  } finally {
    loading = false;
    if (again) {
      again = false;
      void reload();
    }
  }
}

function listen() {
  const source = new EventSource('/sandbox/events');
  source.addEventListener('change', () => void reload());
  // The browser retries by itself; a state that cannot be loaded means the sandbox stopped, and
  // the next change event after it is started again brings the page back.
  source.addEventListener('error', () => void reload());
}

// --- rendering: chrome -----------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = ui.lang;
  for (const node of document.querySelectorAll('[data-t]')) {
    const value = t()[node.dataset.t];
    if (typeof value === 'string') node.textContent = value;
  }
  $('slack-text').placeholder = t().slackMessage;
  $('lang').textContent = t().lang;
  if (ui.stopped) $('status').textContent = t().stopped;
}

/** Sandbox time as the product writes dates: 12月1日(火) 9:05, or "Tue, Dec 1, 9:05". */
function formatTime(iso) {
  const { timezone } = ui.state;
  return new Intl.DateTimeFormat(ui.lang === 'ja' ? 'ja-JP' : 'en-US', {
    timeZone: timezone,
    month: ui.lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

function render() {
  const s = ui.state;
  if (!s) return;
  $('clock-now').textContent = `${formatTime(s.now)} (${s.timezone})`;
  $('clock-now').setAttribute('datetime', s.now);
  renderPersonas();
  renderLineChat();
  renderPeople();
  renderChannels();
  renderSlackChannel();
  renderThread();
  renderJobs();
  renderModal();
  applyBusy();
}

// --- LINE pane -------------------------------------------------------------------------------

function currentPersona() {
  return ui.state.line.personas.find((p) => p.userId === ui.persona);
}

function renderPersonas() {
  const { personas } = ui.state.line;
  if (!personas.some((p) => p.userId === ui.persona)) ui.persona = personas[0]?.userId ?? '';
  const select = $('persona');
  select.replaceChildren(
    ...personas.map((p) =>
      el(
        'option',
        { value: p.userId, selected: p.userId === ui.persona },
        `${p.displayName} ${p.friend ? t().friendMark : p.blocked ? t().blockedMark : t().notFriend}`,
      ),
    ),
  );
  const persona = currentPersona();
  setEnabled($('follow'), persona !== undefined && !persona.friend);
  setEnabled($('unfollow'), persona?.friend === true);
  for (const control of $('line-composer').elements) setEnabled(control, persona?.friend === true);
}

function renderLineChat() {
  const box = $('line-chat');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const items = ui.state.line.log.filter((item) => item.userId === ui.persona);
  if (items.length === 0) {
    box.replaceChildren(el('p', { class: 'system-note' }, t().emptyChat));
    return;
  }
  const nodes = [];
  items.forEach((item, index) => {
    if (item.from === 'system') {
      nodes.push(
        el(
          'p',
          { class: 'system-note' },
          `${formatTime(item.at)} ${t()[item.message.event] ?? item.message.event}`,
        ),
      );
      return;
    }
    nodes.push(lineBubble(item));
    // Quick replies belong to the latest bot message only, as in the LINE app.
    const quick = item.message.quickReply?.items;
    if (item.from === 'bot' && Array.isArray(quick) && index === items.length - 1) {
      nodes.push(
        el(
          'div',
          { class: 'quick-replies' },
          quick.map((q) => lineActionButton(q.action)),
        ),
      );
    }
  });
  box.replaceChildren(...nodes);
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function lineBubble(item) {
  const m = item.message;
  const side = item.from === 'lead' ? 'lead' : 'bot';
  const meta = el(
    'span',
    { class: 'bubble-meta' },
    formatTime(item.at),
    item.via ? ` · ${t().via[item.via]}` : '',
  );
  let body;
  switch (m.type) {
    case 'text':
    case 'textV2':
      body = el(
        'div',
        { class: 'bubble' },
        m.sender?.name ? el('span', { class: 'sender' }, m.sender.name) : null,
        m.text,
      );
      break;
    case 'sticker':
      body = el('div', { class: 'bubble' }, `🧸 ${t().sticker_shown}`);
      break;
    case 'image':
      body = el(
        'div',
        { class: 'bubble' },
        `🖼 ${t().image_shown}`,
        m.originalContentUrl ? el('span', { class: 'sender' }, m.originalContentUrl) : null,
      );
      break;
    case 'location':
      body = el('div', { class: 'bubble' }, `📍 ${m.title ?? t().location_shown}\n${m.address ?? ''}`);
      break;
    case 'template':
      body = lineTemplate(m);
      break;
    case 'flex':
      body = el(
        'div',
        { class: 'template' },
        el('div', { class: 'title' }, m.altText ?? ''),
        flexNode(m.contents),
      );
      break;
    default:
      body = el('div', { class: 'bubble' }, `[${m.type}] ${m.altText ?? ''}`);
  }
  return el(
    'div',
    { class: `bubble-row ${side}` },
    side === 'lead' ? meta : null,
    body,
    side === 'bot' ? meta : null,
  );
}

function lineTemplate(m) {
  const tpl = m.template ?? {};
  const columns = tpl.type === 'carousel' ? (tpl.columns ?? []) : [tpl];
  return el(
    'div',
    {},
    columns.map((c) =>
      el(
        'div',
        { class: 'template' },
        c.title ? el('div', { class: 'title' }, c.title) : null,
        el('div', { class: 'text' }, c.text ?? m.altText ?? ''),
        el(
          'div',
          { class: 'actions' },
          (c.actions ?? []).map((a) => lineActionButton(a)),
        ),
      ),
    ),
  );
}

function flexNode(node) {
  if (!node || typeof node !== 'object') return null;
  switch (node.type) {
    case 'bubble':
      return el(
        'div',
        {},
        ['header', 'hero', 'body', 'footer'].map((part) => flexNode(node[part])),
      );
    case 'carousel':
      return el('div', {}, (node.contents ?? []).map(flexNode));
    case 'box':
      return el(
        'div',
        { class: node.layout === 'horizontal' ? 'actions' : '' },
        (node.contents ?? []).map(flexNode),
      );
    case 'text':
      return el(
        'div',
        { class: 'text' },
        node.text ?? (node.contents ?? []).map((span) => span.text).join(''),
      );
    case 'button':
      return lineActionButton(node.action);
    case 'image':
      return el('div', { class: 'image-alt' }, `🖼 ${node.url ?? ''}`);
    default:
      return null;
  }
}

function lineActionButton(action) {
  const label = action?.label ?? action?.displayText ?? action?.text ?? '?';
  return el(
    'button',
    {
      type: 'button',
      'data-busy': 'line-composer',
      onclick: () => {
        const userId = ui.persona;
        if (action.type === 'message')
          void act('line-composer', `line/${userId}/message`, { type: 'text', text: action.text ?? label });
        // A postback shows its displayText as the lead's message, or nothing without one (as LINE does).
        else if (action.type === 'postback')
          void act('line-composer', `line/${userId}/postback`, {
            data: action.data,
            ...(action.displayText ? { displayText: action.displayText } : {}),
          });
        else if (action.type === 'uri') window.open(action.uri, '_blank', 'noopener');
        else if (action.type === 'datetimepicker')
          void act('line-composer', `line/${userId}/postback`, { data: action.data, displayText: label });
      },
    },
    label,
  );
}

// --- Slack pane ------------------------------------------------------------------------------

function currentPerson() {
  return ui.state.slack.people.find((p) => p.id === ui.person);
}

function roleLabel(role) {
  return role === 'manager' ? t().roleManager : role === 'rep' ? t().roleRep : t().roleNone;
}

function renderPeople() {
  const { people } = ui.state.slack;
  if (!people.some((p) => p.id === ui.person))
    ui.person = people.find((p) => p.role === 'rep')?.id ?? people[0]?.id ?? '';
  $('person').replaceChildren(
    ...people.map((p) =>
      el(
        'option',
        { value: p.id, selected: p.id === ui.person },
        ui.lang === 'ja' ? `${p.name}（${roleLabel(p.role)}）` : `${p.name} (${roleLabel(p.role)})`,
      ),
    ),
  );
}

function channelsOf(person) {
  return [
    { id: person.dm, label: t().dm },
    { id: ui.state.slack.teamChannel, label: `# ${t().team}` },
  ];
}

function renderChannels() {
  const person = currentPerson();
  if (!person) return;
  const channels = channelsOf(person);
  if (!channels.some((c) => c.id === ui.channel)) ui.channel = channels[0].id;
  $('channels').replaceChildren(
    ...channels.map((c) =>
      el(
        'button',
        {
          type: 'button',
          role: 'tab',
          'aria-selected': c.id === ui.channel ? 'true' : 'false',
          onclick: () => {
            ui.channel = c.id;
            ui.threadTs = '';
            render();
          },
        },
        c.label,
      ),
    ),
  );
}

function visibleMessages(channel) {
  const { messages, ephemerals } = ui.state.slack;
  const own = messages.filter(
    (m) => m.channel === channel && (m.ephemeralFor === null || m.ephemeralFor === ui.person),
  );
  const mine = ephemerals
    .filter((e) => e.channel === channel && e.userId === ui.person)
    .map((e) => ({ ...e, ephemeralId: e.id, ephemeral: true, ts: null, threadTs: null, bot: true }));
  return { own, mine };
}

/**
 * Messages in the order Slack has them, with each ephemeral answer where it was shown: before the
 * first message posted after it (a command's answer above the charts it announced).
 */
function withEphemerals(messages, ephemerals) {
  const rest = [...ephemerals].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const out = [];
  for (const m of messages) {
    while (rest.length > 0 && Date.parse(rest[0].at) < Date.parse(m.at)) out.push(rest.shift());
    out.push(m);
  }
  return [...out, ...rest];
}

function renderSlackChannel() {
  const box = $('slack-channel');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const { own, mine } = visibleMessages(ui.channel);
  const top = own.filter((m) => m.threadTs === null || m.threadTs === m.ts);
  const nodes = withEphemerals(top, mine).map((m) => {
    if (m.ephemeral) return slackMessage(m, 0);
    const replies = own.filter((r) => r.threadTs === m.ts && r.ts !== m.ts).length;
    return slackMessage(m, replies);
  });
  box.replaceChildren(...(nodes.length ? nodes : [el('p', { class: 'system-note' }, t().emptyChat)]));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function renderThread() {
  const aside = $('slack-thread');
  if (!ui.threadTs) {
    aside.hidden = true;
    return;
  }
  aside.hidden = false;
  const { own } = visibleMessages(ui.channel);
  const thread = own.filter((m) => m.ts === ui.threadTs || m.threadTs === ui.threadTs);
  $('thread-messages').replaceChildren(...thread.map((m) => slackMessage(m, 0, true)));
  const box = $('thread-messages');
  box.scrollTop = box.scrollHeight;
}

function slackMessage(m, replies, inThread = false) {
  // As Slack shows it: a bot post under the name and icon it chose (a lead's words under the
  // lead's name), else under the app's own name, with the APP mark.
  const who = m.bot ? (m.userName ?? ui.state.slack.appName) : (m.userName ?? m.user ?? '?');
  const content = m.blocks
    ? renderBlocks(m.blocks, { message: m })
    : m.files?.length && !m.text
      ? null
      : el('div', { class: 'text' }, mrkdwn(m.text));
  return el(
    'article',
    { class: `msg${m.ephemeral || m.ephemeralFor ? ' ephemeral' : ''}`, 'data-ts': m.ts ?? '' },
    avatar(m, who),
    el(
      'div',
      { class: 'msg-body' },
      el(
        'div',
        { class: 'msg-head' },
        el('span', { class: 'who' }, who),
        m.bot ? el('span', { class: 'app-badge' }, 'APP') : null,
        m.at ? el('span', { class: 'ts' }, formatTime(m.at)) : null,
        m.edited ? el('span', { class: 'ts' }, ` ${t().edited}`) : null,
      ),
      m.ephemeral || m.ephemeralFor ? el('span', { class: 'only-you' }, t().onlyYou) : null,
      content,
      m.files?.length ? el('div', { class: 'files' }, m.files.map(sharedFile)) : null,
      m.reactions?.length
        ? el('div', { class: 'reactions' }, m.reactions.map((r) => emoji(`:${r}:`)).join(' '))
        : null,
      !inThread && m.ts && (replies > 0 || m.bot) && !m.ephemeralFor
        ? el(
            'button',
            {
              type: 'button',
              class: 'thread-link',
              onclick: () => {
                ui.threadTs = m.ts;
                render();
                $('thread-text').focus();
              },
            },
            replies > 0 ? t().replies(replies) : t().reply,
          )
        : null,
    ),
  );
}

/** A file the app shared: a chart shown inline (a click opens it), anything else as a download. */
function sharedFile(f) {
  if (f.image) {
    const size = f.image.width > 0 ? { width: f.image.width, height: f.image.height } : {};
    return el(
      'figure',
      { class: 'file file-image', 'data-file-id': f.id },
      el(
        'a',
        { href: f.url, target: '_blank', rel: 'noopener', title: t().openImage(f.title) },
        el('img', { src: f.url, alt: f.title, ...size }),
      ),
      el('figcaption', {}, f.title),
    );
  }
  const kind = (f.name.split('.').pop() ?? '').toUpperCase().slice(0, 4);
  return el(
    'a',
    {
      class: 'file file-download',
      href: f.url,
      download: f.name,
      type: f.type,
      title: t().download(f.name),
      'data-file-id': f.id,
    },
    el('span', { class: 'file-kind', 'aria-hidden': 'true' }, kind || 'FILE'),
    el(
      'span',
      { class: 'file-meta' },
      el('span', { class: 'file-title' }, f.title),
      el('span', { class: 'file-name' }, `${f.name} · ${fileSize(f.size)}`),
    ),
  );
}

function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The picture beside a message: the icon a bot post chose (an emoji, or a picture URL: a sandbox
 * lead's LINE picture is drawn from its name, since its address serves nothing), the app's icon,
 * or a person's initial.
 */
function avatar(m, who) {
  const icon = m.icon;
  if (icon?.emoji) return el('span', { class: 'avatar emoji', 'aria-hidden': 'true' }, emoji(icon.emoji));
  if (icon?.url) {
    const persona = ui.state.line.personas.find((p) => p.pictureUrl === icon.url);
    if (!persona) return el('img', { class: 'avatar', src: icon.url, alt: '', 'data-icon-url': icon.url });
    return initialAvatar(persona.displayName, { 'data-icon-url': icon.url });
  }
  if (m.bot) return el('img', { class: 'avatar', src: '/favicon.ico', alt: '' });
  return initialAvatar(who);
}

function initialAvatar(name, attrs = {}) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)) % 360;
  return el(
    'span',
    { class: 'avatar', style: `background: hsl(${hash} 45% 42%)`, 'aria-hidden': 'true', ...attrs },
    [...name.trim()][0] ?? '?',
  );
}

// --- mention completion ---------------------------------------------------------------------

/**
 * Typing @ and part of a name (or a user id) offers the people of the workspace, as Slack's
 * composer does; choosing one writes their full name, which the sandbox sends as a mention.
 */
function wireMentions(input) {
  const list = el('ul', { id: `${input.id}-mentions`, class: 'mentions', role: 'listbox', hidden: true });
  list.setAttribute('aria-label', t().mentionList);
  input.parentElement.append(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');
  let found = [];
  let active = 0;
  const close = () => {
    found = [];
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const choose = (person) => {
    const query = mentionQuery(input);
    if (!query) return close();
    const caret = input.selectionStart ?? input.value.length;
    const before = `${input.value.slice(0, query.at)}@${person.name} `;
    input.value = before + input.value.slice(caret);
    input.setSelectionRange(before.length, before.length);
    close();
    input.focus();
  };
  const show = () => {
    list.setAttribute('aria-label', t().mentionList);
    list.replaceChildren(
      ...found.map((person, i) =>
        el(
          'li',
          {
            id: `${list.id}-${i}`,
            role: 'option',
            'aria-selected': i === active ? 'true' : 'false',
            onmousedown: (event) => {
              event.preventDefault();
              choose(person);
            },
          },
          el('span', { class: 'mention-name' }, person.name),
          el('span', { class: 'mention-id' }, person.id),
        ),
      ),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
  };
  const update = () => {
    const query = ui.state && mentionQuery(input);
    found = query ? mentionCandidates(query.text) : [];
    active = 0;
    if (found.length === 0) close();
    else show();
  };
  input.addEventListener('input', update);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (list.hidden || found.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
      show();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (event.isComposing) return;
      event.preventDefault();
      choose(found[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
}

/** The `@…` being typed just before the caret, if any. */
function mentionQuery(input) {
  const before = input.value.slice(0, input.selectionStart ?? input.value.length);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && /[A-Za-z0-9]/.test(before[at - 1]))) return null;
  const text = before.slice(at + 1);
  // A space after a whole name ends it; names themselves may hold one (田中 営業).
  if (text.length > 30 || /\s$/.test(text)) return null;
  return { at, text };
}

function mentionCandidates(query) {
  const q = query.toLowerCase();
  const compact = q.replace(/\s+/g, '');
  return ui.state.slack.people
    .filter(
      (p) =>
        p.name.toLowerCase().startsWith(q) ||
        p.name.toLowerCase().replace(/\s+/g, '').includes(compact) ||
        p.id.toLowerCase().startsWith(q),
    )
    .slice(0, 8);
}

// --- Block Kit -------------------------------------------------------------------------------

function textOf(obj) {
  if (!obj) return '';
  return typeof obj === 'string' ? obj : (obj.text ?? '');
}

/** Slack mrkdwn to DOM: links, mentions, *bold*, _italic_, ~strike~, `code`; entities decoded. */
function mrkdwn(input) {
  const text = typeof input === 'string' ? input : textOf(input);
  const out = [];
  const pattern = /<([^>]+)>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(...inline(text.slice(last, match.index)));
    const [target, label] = match[1].split('|');
    if (target.startsWith('@')) {
      const person = ui.state.slack.people.find((p) => p.id === target.slice(1));
      out.push(el('span', { class: 'mention' }, `@${label ?? person?.name ?? target.slice(1)}`));
    } else if (target.startsWith('#'))
      out.push(el('span', { class: 'mention' }, `#${label ?? target.slice(1)}`));
    else if (target.startsWith('!'))
      out.push(el('span', { class: 'mention' }, `@${label ?? target.slice(1)}`));
    else out.push(el('a', { href: target, target: '_blank', rel: 'noopener' }, decode(label ?? target)));
    last = match.index + match[0].length;
  }
  out.push(...inline(text.slice(last)));
  return el('span', {}, out);
}

// The shortcodes the app uses, shown as Slack shows them; others stay as typed.
const EMOJI = {
  warning: '⚠️',
  rotating_light: '🚨',
  alarm_clock: '⏰',
  x: '❌',
  wave: '👋',
  telephone_receiver: '📞',
  speech_balloon: '💬',
  sparkles: '✨',
  seedling: '🌱',
  no_entry_sign: '🚫',
  no_entry: '⛔',
  hourglass_flowing_sand: '⏳',
  calendar: '📆',
  bust_in_silhouette: '👤',
  arrows_counterclockwise: '🔄',
  white_check_mark: '✅',
  question: '❓',
  tada: '🎉',
  white_flag: '🏳️',
  arrow_right: '➡️',
  wastebasket: '🗑️',
  information_source: 'ℹ️',
  raising_hand: '🙋',
  house: '🏠',
  memo: '📝',
  outbox_tray: '📤',
  double_vertical_bar: '⏸️',
  arrow_forward: '▶️',
  black_square_for_stop: '⏹️',
  bell: '🔔',
  no_bell: '🔕',
};

function emoji(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

function decode(s) {
  return emoji(s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
}

function inline(s) {
  const nodes = [];
  // An emoji shortcode comes first: the underscores in :white_check_mark: are not italics.
  const pattern = /(:[a-z0-9_+-]+:|`[^`\n]+`|\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)/g;
  let last = 0;
  for (const match of s.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(decode(s.slice(last, match.index))));
    const token = match[0];
    if (token[0] === ':') {
      nodes.push(document.createTextNode(emoji(token)));
      last = match.index + token.length;
      continue;
    }
    const inner = decode(token.slice(1, -1));
    const tag = { '`': 'code', '*': 'strong', _: 'em', '~': 's' }[token[0]];
    nodes.push(el(tag, {}, inner));
    last = match.index + token.length;
  }
  if (last < s.length) nodes.push(document.createTextNode(decode(s.slice(last))));
  return nodes;
}

function plain(obj) {
  return obj?.type === 'mrkdwn' ? mrkdwn(obj.text) : document.createTextNode(textOf(obj));
}

function renderBlocks(blocks, context) {
  return el(
    'div',
    { class: 'blocks' },
    blocks.map((block) => renderBlock(block, context)),
  );
}

function renderBlock(block, context) {
  switch (block.type) {
    case 'header':
      return el('h3', {}, textOf(block.text));
    case 'section':
      return el(
        'div',
        { class: 'section' },
        el(
          'div',
          {},
          block.text ? plain(block.text) : null,
          block.fields
            ? el(
                'div',
                { class: 'fields' },
                block.fields.map((f) => el('div', {}, plain(f))),
              )
            : null,
        ),
        block.accessory ? element(block.accessory, block, context) : null,
      );
    case 'context':
      return el(
        'div',
        { class: 'context' },
        (block.elements ?? []).map((e) => (e.type === 'image' ? `[${e.alt_text}] ` : plain(e))),
      );
    case 'divider':
      return el('hr');
    case 'image':
      return el('div', { class: 'image-alt' }, `🖼 ${block.alt_text ?? ''}`);
    case 'actions':
      return el(
        'div',
        { class: 'actions' },
        (block.elements ?? []).map((e) => element(e, block, context)),
      );
    case 'input':
      return inputBlock(block, context);
    case 'rich_text':
      return el('div', { class: 'text' }, JSON.stringify(block.elements).length > 0 ? richText(block) : '');
    default:
      return el('div', { class: 'context' }, `[${block.type}]`);
  }
}

function richText(block) {
  const parts = [];
  const walk = (n) => {
    if (n.type === 'text') parts.push(n.text);
    else if (n.type === 'link') parts.push(n.text ?? n.url);
    for (const child of n.elements ?? []) walk(child);
  };
  walk(block);
  return parts.join('');
}

function options(e) {
  if (Array.isArray(e.option_groups)) return e.option_groups.flatMap((g) => g.options);
  return e.options ?? [];
}

/** An interactive element on a message: using it sends a signed block_actions payload. */
function element(e, block, context) {
  const m = context.message;
  const busyId = `action:${ui.person}:${m.channel}:${m.ephemeralId ?? m.ts}:${block.block_id}:${e.action_id}`;
  const send = (action) => {
    void act(busyId, 'slack/action', {
      userId: ui.person,
      channel: m.channel,
      ...(m.ephemeralId ? { ephemeralId: m.ephemeralId } : { messageTs: m.ts }),
      action: { ...action, action_id: e.action_id, block_id: block.block_id ?? '' },
    });
  };
  switch (e.type) {
    case 'button':
      return el(
        'button',
        {
          type: 'button',
          class: e.style === 'primary' ? 'primary' : e.style === 'danger' ? 'danger' : undefined,
          'data-busy': busyId,
          onclick: () => send({ type: 'button', value: e.value, text: e.text }),
        },
        textOf(e.text),
      );
    case 'static_select':
    case 'overflow': {
      const opts = options(e);
      return el(
        'select',
        {
          'aria-label': textOf(e.placeholder) || e.action_id,
          'data-busy': busyId,
          onchange: (event) => {
            const chosen = opts.find((o) => o.value === event.target.value);
            if (chosen) send({ type: e.type, selected_option: chosen });
          },
        },
        el('option', { value: '' }, textOf(e.placeholder) || t().choose),
        opts.map((o) => el('option', { value: o.value }, textOf(o.text))),
      );
    }
    case 'users_select':
      return el(
        'select',
        {
          'aria-label': textOf(e.placeholder) || e.action_id,
          'data-busy': busyId,
          onchange: (event) =>
            event.target.value && send({ type: 'users_select', selected_user: event.target.value }),
        },
        el('option', { value: '' }, textOf(e.placeholder) || t().choose),
        ui.state.slack.people.map((p) => el('option', { value: p.id }, p.name)),
      );
    case 'datepicker':
      return el('input', {
        type: 'date',
        'aria-label': textOf(e.placeholder) || e.action_id,
        'data-busy': busyId,
        onchange: (event) =>
          event.target.value && send({ type: 'datepicker', selected_date: event.target.value }),
      });
    case 'image':
      return el('span', { class: 'image-alt' }, `🖼 ${e.alt_text ?? ''}`);
    default:
      return el('span', { class: 'context' }, `[${e.type}]`);
  }
}

// --- modals ----------------------------------------------------------------------------------

function topView() {
  const stack = ui.state.slack.views[ui.person] ?? [];
  return stack[stack.length - 1];
}

function inputBlock(block, context) {
  const e = block.element ?? {};
  const id = `in-${block.block_id}`;
  const error = context.errors?.[block.block_id];
  const hint = block.hint ? el('span', { class: 'hint' }, textOf(block.hint)) : null;
  const err = error ? el('span', { class: 'error', id: `${id}-error`, role: 'alert' }, error) : null;
  const common = {
    id,
    name: block.block_id,
    'data-action': e.action_id,
    'data-type': e.type,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    required: !block.optional,
  };
  let control;
  switch (e.type) {
    case 'plain_text_input':
      control = e.multiline
        ? el('textarea', { ...common, rows: 3, maxlength: e.max_length }, e.initial_value ?? '')
        : el('input', {
            ...common,
            value: e.initial_value ?? '',
            maxlength: e.max_length,
            placeholder: textOf(e.placeholder),
          });
      break;
    case 'number_input':
      control = el('input', { ...common, type: 'number', value: e.initial_value ?? '' });
      break;
    case 'datepicker':
      control = el('input', { ...common, type: 'date', value: e.initial_date ?? '' });
      break;
    case 'static_select': {
      const initial = e.initial_option?.value;
      control = el(
        'select',
        common,
        el('option', { value: '' }, textOf(e.placeholder) || t().choose),
        options(e).map((o) =>
          el('option', { value: o.value, selected: o.value === initial }, textOf(o.text)),
        ),
      );
      break;
    }
    case 'users_select':
      control = el(
        'select',
        common,
        el('option', { value: '' }, t().choose),
        ui.state.slack.people.map((p) =>
          el('option', { value: p.id, selected: p.id === e.initial_user }, p.name),
        ),
      );
      break;
    case 'radio_buttons': {
      const initial = e.initial_option?.value;
      return el(
        'fieldset',
        {
          class: 'input-block',
          'data-block': block.block_id,
          'data-action': e.action_id,
          'data-type': e.type,
        },
        el('legend', {}, textOf(block.label)),
        options(e).map((o, i) =>
          el(
            'label',
            {},
            el('input', {
              type: 'radio',
              name: block.block_id,
              value: o.value,
              checked: o.value === initial,
              required: !block.optional && i === 0,
            }),
            ` ${textOf(o.text)}`,
          ),
        ),
        hint,
        err,
      );
    }
    default:
      control = el('span', { class: 'context' }, `[${e.type}]`);
  }
  return el(
    'div',
    { class: 'input-block', 'data-block': block.block_id },
    el('label', { for: id }, textOf(block.label)),
    control,
    hint,
    err,
  );
}

function renderModal() {
  const dialog = $('modal');
  const open = topView();
  if (!open) {
    if (dialog.open) dialog.close();
    ui.openViewId = '';
    return;
  }
  const view = open.view;
  // Redraw only when the view or its errors change, so typing is not lost on unrelated updates.
  const key = `${open.viewId}:${view.hash ?? ''}:${JSON.stringify(open.errors)}`;
  if (ui.openViewId === key && dialog.open) return;
  ui.openViewId = key;
  $('modal-title').textContent = textOf(view.title);
  $('modal-submit').textContent = textOf(view.submit) || t().submit;
  $('modal-cancel').textContent = textOf(view.close) || t().cancel;
  const previous = collectValues();
  $('modal-blocks').replaceChildren(renderBlocks(view.blocks ?? [], { errors: open.errors, message: {} }));
  restoreValues(previous);
  if (!dialog.open) dialog.showModal();
}

function collectValues() {
  const values = {};
  for (const holder of $('modal-blocks').querySelectorAll('[data-block]')) {
    const blockId = holder.dataset.block;
    const radio = holder.tagName === 'FIELDSET';
    const control = radio ? holder : holder.querySelector('[data-action]');
    if (!control) continue;
    const type = control.dataset.type;
    const actionId = control.dataset.action;
    let value;
    if (type === 'radio_buttons') {
      const checked = holder.querySelector('input[type=radio]:checked');
      const opt = checked && findOption(blockId, checked.value);
      value = { type, selected_option: opt ?? null };
    } else if (type === 'static_select') {
      value = { type, selected_option: control.value ? findOption(blockId, control.value) : null };
    } else if (type === 'users_select') value = { type, selected_user: control.value || null };
    else if (type === 'datepicker') value = { type, selected_date: control.value || null };
    else value = { type, value: control.value === '' ? null : control.value };
    values[blockId] = { [actionId]: value };
  }
  return values;
}

function findOption(blockId, value) {
  const block = (topView()?.view.blocks ?? []).find((b) => b.block_id === blockId);
  return options(block?.element ?? {}).find((o) => o.value === value) ?? null;
}

function restoreValues(values) {
  for (const [blockId, byAction] of Object.entries(values)) {
    const value = Object.values(byAction)[0];
    const control = $('modal-blocks').querySelector(`[data-block="${CSS.escape(blockId)}"] [data-action]`);
    if (!control || !value) continue;
    const v = value.value ?? value.selected_date ?? value.selected_user ?? value.selected_option?.value;
    if (v) control.value = v;
  }
}

// --- jobs ------------------------------------------------------------------------------------

function renderJobs() {
  $('jobs').replaceChildren(
    ...ui.state.jobs
      .slice()
      .reverse()
      .map((run) =>
        el(
          'li',
          {},
          `${formatTime(run.fireAt)} ${t().jobNames[run.job] ?? run.job}: ${run.ran ? t().ran : t().skipped}${
            run.times > 1 ? t().times(run.times) : ''
          }`,
        ),
      ),
  );
}

// --- events ----------------------------------------------------------------------------------

/**
 * Submits a composer's text once: the field is emptied at once (a second Enter finds nothing to
 * send) and gets the text back if the sandbox did not take it.
 */
async function sendTyped(input, id, send) {
  const text = input.value;
  if (!text.trim() || busy.has(id)) return;
  input.value = '';
  const answer = await send(text);
  if (answer === undefined && input.value === '') input.value = text;
  return answer;
}

function wire() {
  $('lang').addEventListener('click', () => {
    ui.lang = ui.lang === 'ja' ? 'en' : 'ja';
    localStorage.setItem('sandbox.lang', ui.lang);
    applyLanguage();
    render();
  });
  for (const button of document.querySelectorAll('[data-jump]')) {
    button.addEventListener('click', () => void act('clock', 'clock', { jump: button.dataset.jump }));
  }
  $('persona').addEventListener('change', (event) => {
    ui.persona = event.target.value;
    localStorage.setItem('sandbox.persona', ui.persona);
    render();
  });
  $('follow').addEventListener('click', () => void act('friendship', `line/${ui.persona}/follow`));
  $('unfollow').addEventListener('click', () => void act('friendship', `line/${ui.persona}/unfollow`));
  $('new-persona').addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await sendTyped($('new-persona-name'), 'new-persona', (displayName) =>
      act('new-persona', 'line/personas', { displayName }),
    );
    if (!answer) return;
    ui.persona = answer.persona.userId;
    localStorage.setItem('sandbox.persona', ui.persona);
    await reload();
  });
  $('line-composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const userId = ui.persona;
    void sendTyped($('line-text'), 'line-composer', (text) =>
      act('line-composer', `line/${userId}/message`, { type: 'text', text }),
    );
  });
  for (const button of document.querySelectorAll('[data-line]')) {
    button.addEventListener(
      'click',
      () => void act('line-composer', `line/${ui.persona}/message`, { type: button.dataset.line }),
    );
  }
  $('person').addEventListener('change', (event) => {
    ui.person = event.target.value;
    localStorage.setItem('sandbox.person', ui.person);
    ui.threadTs = '';
    ui.channel = '';
    render();
  });
  $('slack-composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('slack-text');
    const typed = input.value.trim();
    const command = ui.state.slack.command;
    if (typed.startsWith('/')) {
      const name = typed.split(/\s+/)[0];
      if (name !== command) {
        setStatus(`${name}: ${command}`);
        return;
      }
    }
    const { person, channel } = { person: ui.person, channel: ui.channel };
    void sendTyped(input, 'slack-composer', (text) => {
      const trimmed = text.trim();
      return trimmed.startsWith('/')
        ? act('slack-composer', 'slack/command', {
            userId: person,
            channel,
            text: trimmed.slice(command.length).trim(),
          })
        : act('slack-composer', 'slack/message', { userId: person, channel, text: trimmed });
    });
  });
  $('thread-composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const { person, channel, threadTs } = { person: ui.person, channel: ui.channel, threadTs: ui.threadTs };
    void sendTyped($('thread-text'), 'thread-composer', (text) =>
      act('thread-composer', 'slack/message', { userId: person, channel, text, threadTs }),
    );
  });
  $('close-thread').addEventListener('click', () => {
    ui.threadTs = '';
    render();
  });
  $('modal-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const open = topView();
    if (!open) return;
    void act('modal', 'slack/view', { userId: ui.person, viewId: open.viewId, values: collectValues() });
  });
  $('modal-cancel').addEventListener('click', () => {
    const open = topView();
    if (open) void act('modal', 'slack/view-close', { userId: ui.person, viewId: open.viewId });
  });
  $('modal').addEventListener('cancel', (event) => {
    event.preventDefault();
    $('modal-cancel').click();
  });
  wireMentions($('slack-text'));
  wireMentions($('thread-text'));
}

applyLanguage();
wire();
listen();
void reload();
