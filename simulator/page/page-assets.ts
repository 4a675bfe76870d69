/** The page's markup and script, served as they are (no build step); styles inline, script from its own URL. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DingTalk simulator</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
         color: #171a1d; background: #f2f3f5; display: flex; height: 100vh; }
  aside { width: 300px; background: #fff; border-right: 1px solid #e5e6eb; overflow-y: auto; flex-shrink: 0; }
  aside h1 { font-size: 16px; margin: 0; padding: 14px 16px; background: #0089ff; color: #fff; }
  aside h2 { font-size: 12px; color: #8f959e; margin: 14px 16px 4px; text-transform: uppercase; }
  .conversation { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 10px 16px;
                  cursor: pointer; font: inherit; border-bottom: 1px solid #f2f3f5; }
  .conversation:hover { background: #f5f7fa; }
  .conversation.selected { background: #e6f3ff; }
  .conversation .name { font-weight: 600; display: block; }
  .conversation .last { color: #8f959e; font-size: 12px; display: block; white-space: nowrap; overflow: hidden;
                        text-overflow: ellipsis; }
  .empty { color: #8f959e; padding: 8px 16px; font-size: 13px; }
  .app { padding: 6px 16px; border-bottom: 1px solid #f2f3f5; }
  .app .name { font-weight: 600; display: block; }
  .app .group { border: 1px solid #d0d3d6; border-radius: 10px; background: #fff; font: inherit; font-size: 12px;
                padding: 1px 8px; margin: 2px 4px 2px 0; cursor: pointer; }
  .app .group.selected { background: #e6f3ff; border-color: #0089ff; }
  main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
  header { background: #fff; padding: 12px 20px; border-bottom: 1px solid #e5e6eb; }
  header .title { font-size: 16px; font-weight: 600; }
  header .subtitle { color: #8f959e; font-size: 12px; word-break: break-all; }
  #messages { flex: 1; overflow-y: auto; padding: 16px 20px; }
  .msg { max-width: 640px; margin-bottom: 14px; }
  .msg.mine { margin-left: auto; }
  .msg .meta { color: #8f959e; font-size: 12px; margin-bottom: 2px; }
  .msg.mine .meta { text-align: right; }
  .msg .bubble { background: #fff; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.06);
                 overflow-wrap: anywhere; }
  .msg.mine .bubble { background: #cce5ff; }
  .msg .bubble .card-title { font-weight: 600; color: #0089ff; margin-bottom: 4px; font-size: 12px; }
  .msg .bubble :first-child { margin-top: 0; }
  .msg .bubble :last-child { margin-bottom: 0; }
  .msg .bubble blockquote { margin: 4px 0; padding-left: 10px; border-left: 3px solid #d0d3d6; color: #51565d; }
  .msg .bubble img { max-width: 100%; }
  .msg.refused .bubble, .msg.dropped .bubble { opacity: .55; }
  .msg .note { font-size: 12px; color: #d54941; }
  .msg.dropped .note { color: #e37318; }
  form { background: #fff; border-top: 1px solid #e5e6eb; padding: 10px 20px; display: flex; gap: 8px;
         flex-wrap: wrap; align-items: center; }
  form[hidden] { display: none; }
  input, select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #d0d3d6; border-radius: 6px; }
  textarea { flex: 1; min-width: 200px; height: 38px; resize: vertical; }
  button.send { background: #0089ff; color: #fff; border: 0; border-radius: 6px; padding: 8px 16px; cursor: pointer; }
  .result { width: 100%; font-size: 12px; color: #51565d; min-height: 1em; }
  .result.error { color: #d54941; }
  #new-chat { border-top: 0; border-bottom: 1px solid #e5e6eb; padding: 10px 16px; }
  #new-chat input, #new-chat select, #new-chat textarea { width: 100%; }
  #event-form { border-top: 0; padding: 10px 16px; }
  #event-form input, #event-form select, #event-form textarea { width: 100%; }
  .event { padding: 6px 16px; font-size: 12px; border-bottom: 1px solid #f2f3f5; }
  .event .status { font-weight: 600; }
  .event.consumed .status { color: #2ba471; }
  .event.pending .status { color: #e37318; }
  .msg .card { border-left: 3px solid #0089ff; padding-left: 10px; }
  .card .card-line.bold { font-weight: 600; }
  .card .card-tag { display: inline-block; font-size: 12px; border: 1px solid #0089ff; color: #0089ff; border-radius: 4px;
                    padding: 0 6px; margin: 2px 4px 2px 0; }
  .card .card-buttons { margin-top: 8px; display: flex; gap: 8px; flex-wrap: wrap; }
  .card .card-button { border: 1px solid #0089ff; color: #0089ff; background: #fff; border-radius: 6px; padding: 4px 14px;
                       cursor: pointer; font: inherit; }
  .card .card-result { font-size: 12px; color: #51565d; min-height: 1em; }
  .card .card-result.error { color: #d54941; }
  #card-clicker { font-size: 12px; color: #51565d; margin-top: 4px; }
  #card-clicker[hidden] { display: none; }
  #card-clicker input { font-size: 12px; padding: 2px 6px; }
  button.manage { border: 1px solid #d0d3d6; color: #171a1d; background: #fff; border-radius: 6px; padding: 2px 10px;
                  cursor: pointer; font: inherit; font-size: 12px; margin: 4px 6px 0 0; }
  button.manage.danger { border-color: #d54941; color: #d54941; }
  .app .reset-app-secret { display: block; }
  #robot-controls { margin-top: 4px; }
  #robot-controls[hidden] { display: none; }
  #robot-controls .state { font-size: 12px; font-weight: 600; margin-right: 6px; }
  #robot-controls .state.off { color: #d54941; }
  #robot-controls .state.on { color: #2ba471; }
  .secret-note { font-size: 12px; color: #51565d; overflow-wrap: anywhere; }
  .secret-note.error { color: #d54941; }
  .secret-note code { background: #fff7e6; border: 1px solid #e37318; border-radius: 4px; padding: 0 4px; user-select: all; }
</style>
</head>
<body>
<aside>
  <h1>DingTalk simulator</h1>
  <h2>Groups</h2>
  <div id="groups" class="list"></div>
  <h2>People</h2>
  <div id="people" class="list"></div>
  <h2>Apps and their groups</h2>
  <div id="apps" class="list"></div>
  <h2>Events (Stream)</h2>
  <form id="event-form">
    <select name="client_id" aria-label="app"></select>
    <input name="event_type" placeholder="event type (user_add_org)" aria-label="event type">
    <textarea name="data" placeholder='payload, e.g. {"userId":["manager01"]}' aria-label="event payload"></textarea>
    <button class="send" type="submit">Push event</button>
    <div class="result" role="status"></div>
  </form>
  <div id="events" class="list"></div>
  <h2>Write to a Stream bot (new one-to-one chat)</h2>
  <form id="new-chat">
    <select name="client_id" aria-label="app"></select>
    <input name="sender_staff_id" placeholder="staff userid (manager01)" aria-label="staff userid">
    <input name="sender_nick" placeholder="name shown (店长)" aria-label="name">
    <textarea name="text" placeholder="message to the bot" aria-label="message"></textarea>
    <button class="send" type="submit">Send</button>
    <div class="result" role="status"></div>
  </form>
</aside>
<main>
  <header>
    <div class="title" id="title">No conversation selected</div>
    <div class="subtitle" id="subtitle">Messages sent to the simulator appear on the left.</div>
    <div id="robot-controls" hidden>
      <span class="state" role="status"></span>
      <button class="manage danger" id="robot-toggle" type="button">停用机器人</button>
      <button class="manage" id="robot-reset-secret" type="button">重置加签密钥</button>
      <div class="secret-note" role="status"></div>
    </div>
    <label id="card-clicker" hidden>Click card buttons as staff userid
      <input name="user_id" list="members" placeholder="first member" aria-label="click cards as"></label>
  </header>
  <div id="messages"></div>
  <form id="write" hidden>
    <select name="client_id" aria-label="to the robot of" hidden></select>
    <input name="sender_staff_id" list="members" placeholder="staff userid (manager01)" aria-label="staff userid">
    <datalist id="members"></datalist>
    <input name="sender_nick" placeholder="your name (店长)" aria-label="name">
    <textarea name="text" placeholder="write to the bot as a staff member" aria-label="message"></textarea>
    <button class="send" type="submit">Send</button>
    <div class="result" role="status"></div>
  </form>
</main>
<script src="/_sim/page/app.js"></script>
</body>
</html>
`;

export const PAGE_SCRIPT = `'use strict';
(() => {
  let data = { apps: [], app_groups: [], conversations: [], events: [] };
  let selected = null;
  let shown = '';

  const $ = (id) => document.getElementById(id);
  const time = (ms) => new Date(ms).toLocaleString();
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  let listed = '';
  // What a robot or app button just did (a new secret is shown here, once: the simulator's page data never carries it),
  // kept per robot token / client id so that a redraw of the list does not wipe it.
  const robotNotes = new Map();
  const appNotes = new Map();

  const note = (node, entry) => {
    node.className = 'secret-note' + (entry && entry.error ? ' error' : '');
    node.replaceChildren();
    if (!entry) return;
    node.append(entry.text);
    if (entry.secret) node.append(el('code', 'secret', entry.secret));
  };

  // Random like DingTalk's own: a 加签 secret is SEC and 64 hex digits; an AppSecret 64 URL-safe characters.
  const randomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));
  const newRobotSecret = () => 'SEC' + Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0')).join('');
  const newAppSecret = () =>
    btoa(String.fromCharCode(...randomBytes(48))).replaceAll('+', '-').replaceAll('/', '_');

  async function patch(path, body) {
    try {
      const response = await fetch(path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      return response.ok ? null : 'HTTP ' + response.status + ': ' + (answer.error || '');
    } catch (error) {
      return String(error);
    }
  }

  function renderList() {
    // Redrawn only when something changed, so a click never lands on a button that the next poll replaces.
    const signature = JSON.stringify([selected, data.apps, data.app_groups, data.conversations.map((c) => [c.key, c.title, c.messages.length])]);
    if (signature === listed) return;
    listed = signature;
    for (const [id, kind] of [['groups', 'group'], ['people', 'user']]) {
      const list = $(id);
      list.replaceChildren();
      const items = data.conversations.filter((c) => c.kind === kind);
      if (items.length === 0) list.append(el('div', 'empty', 'none yet'));
      for (const c of items) {
        const button = el('button', 'conversation' + (c.key === selected ? ' selected' : ''));
        button.type = 'button';
        button.dataset.key = c.key;
        button.append(el('span', 'name', c.title + (c.messages.length ? ' (' + c.messages.length + ')' : '')));
        const last = c.messages[c.messages.length - 1];
        button.append(el('span', 'last', last ? (last.title || last.from) : c.subtitle));
        button.addEventListener('click', () => select(c.key));
        list.append(button);
      }
    }
    // Each app with the groups its robot is in (one app can serve a whole chain); a group opens its conversation.
    const appList = $('apps');
    appList.replaceChildren();
    if (data.app_groups.length === 0) appList.append(el('div', 'empty', 'no apps yet'));
    for (const app of data.app_groups) {
      const item = el('div', 'app');
      item.dataset.clientId = app.client_id;
      item.append(el('span', 'name', app.client_id + ' · ' + app.groups.length + (app.groups.length === 1 ? ' group' : ' groups')));
      for (const group of app.groups) {
        const button = el('button', 'group' + (group.key === selected ? ' selected' : ''), group.title);
        button.type = 'button';
        button.dataset.key = group.key;
        button.addEventListener('click', () => select(group.key));
        item.append(button);
      }
      const reset = el('button', 'manage danger reset-app-secret', '重置 AppSecret');
      reset.type = 'button';
      const result = el('div', 'secret-note');
      result.setAttribute('role', 'status');
      note(result, appNotes.get(app.client_id));
      reset.addEventListener('click', () => void resetAppSecret(app.client_id, result));
      item.append(reset, result);
      appList.append(item);
    }
    for (const apps of document.querySelectorAll('#new-chat select, #event-form select')) {
      const current = apps.value;
      // Rebuilt only when the apps change, so an open drop-down is not closed by the next poll.
      if (apps.dataset.apps === data.apps.join(',')) continue;
      apps.dataset.apps = data.apps.join(',');
      apps.replaceChildren(...data.apps.map((clientId) => {
        const option = el('option', '', clientId);
        option.value = clientId;
        return option;
      }));
      if (data.apps.includes(current)) apps.value = current;
    }
  }

  let eventsShown = '';

  function renderEvents() {
    const signature = JSON.stringify(data.events);
    if (signature === eventsShown) return;
    eventsShown = signature;
    const list = $('events');
    list.replaceChildren();
    if (data.events.length === 0) list.append(el('div', 'empty', 'no events pushed yet'));
    for (const e of data.events) {
      const item = el('div', 'event ' + (e.consumed ? 'consumed' : 'pending'));
      item.dataset.messageId = e.message_id;
      item.append(el('div', 'name', e.event_type + ' · ' + e.client_id));
      const ack = e.ack_status === null ? 'no ACK yet' : 'ACK ' + e.ack_status;
      item.append(el('span', 'status', ack));
      item.append(el('span', '', ' · delivered ' + e.deliveries + '×' + (e.consumed ? '' : ' · will be redelivered')));
      list.append(item);
    }
  }

  // Revoking an AppSecret as the developer console does: the service's copy is refused from now on.
  async function resetAppSecret(clientId, result) {
    const secret = newAppSecret();
    note(result, { text: '重置中… (resetting)' });
    const error = await patch('/_sim/apps/' + encodeURIComponent(clientId), { client_secret: secret });
    const entry = error
      ? { text: error, error: true }
      : { text: '新 AppSecret（只显示这一次，请复制到服务中 · new AppSecret, shown once）：', secret };
    appNotes.set(clientId, entry);
    // The list may have been redrawn while the request ran: draw it again from the notes.
    listed = '';
    renderList();
  }

  // A custom robot's controls in its group's header: what the group owner would do in DingTalk's robot settings.
  let robotShown = '';

  function renderRobotControls() {
    const c = data.conversations.find((item) => item.key === selected);
    const robot = c && c.robot;
    const controls = $('robot-controls');
    const signature = robot ? JSON.stringify([robot, robotNotes.get(robot.token) || null]) : '';
    if (signature === robotShown) return;
    robotShown = signature;
    controls.hidden = !robot;
    if (!robot) return;
    const state = controls.querySelector('.state');
    state.className = 'state ' + (robot.enabled ? 'on' : 'off');
    state.textContent = (robot.enabled ? '已启用' : '已停用') + (robot.signed ? ' · 加签' : ' · 未加签');
    $('robot-toggle').textContent = robot.enabled ? '停用机器人' : '启用机器人';
    note(controls.querySelector('.secret-note'), robotNotes.get(robot.token));
  }

  async function manageRobot(change) {
    const c = data.conversations.find((item) => item.key === selected);
    if (!c || !c.robot) return;
    const token = c.robot.token;
    const body = change === 'toggle' ? { enabled: !c.robot.enabled } : { secret: newRobotSecret() };
    robotNotes.set(token, { text: '保存中… (saving)' });
    renderRobotControls();
    const error = await patch('/_sim/robots/' + encodeURIComponent(token), body);
    robotNotes.set(token, error
      ? { text: error, error: true }
      : body.secret
        ? { text: '新加签密钥（只显示这一次，请复制到服务中 · new signing secret, shown once）：', secret: body.secret }
        : { text: body.enabled ? '已启用：webhook 重新接收消息 (enabled)' : '已停用：webhook 发送将被拒绝 (disabled)' });
    await refresh();
  }

  $('robot-toggle').addEventListener('click', () => void manageRobot('toggle'));
  $('robot-reset-secret').addEventListener('click', () => void manageRobot('secret'));

  async function clickCard(card, button, result) {
    result.className = 'card-result';
    result.textContent = 'sending…';
    const userId = $('card-clicker').querySelector('input').value;
    try {
      const response = await fetch('/_sim/cards/' + encodeURIComponent(card.out_track_id) + '/click', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action_id: button.action_id, space_id: card.space_id, user_id: userId || undefined }),
      });
      const answer = await response.json();
      if (!response.ok) {
        result.className = 'card-result error';
        result.textContent = 'HTTP ' + response.status + ': ' + (answer.error || '');
        return;
      }
      result.textContent = 'callback sent as ' + answer.user_id + (answer.delivered ? '' : ' (the app is not connected)');
    } catch (error) {
      result.className = 'card-result error';
      result.textContent = String(error);
    }
  }

  // An interactive card: its lines and tags, and the buttons a member can click (the click goes to the app over Stream).
  function renderCard(card) {
    const node = el('div', 'card');
    node.dataset.outTrackId = card.out_track_id;
    for (const part of card.parts) {
      if (part.kind === 'markdown') {
        const markdown = el('div', 'card-markdown');
        markdown.innerHTML = part.html; // rendered and sanitised by the simulator (simulator/page/markdown.ts)
        node.append(markdown);
      } else if (part.kind === 'tag') {
        node.append(el('span', 'card-tag', part.text));
      } else {
        node.append(el('div', 'card-line' + (part.bold ? ' bold' : ''), part.text));
      }
    }
    const result = el('div', 'card-result');
    result.setAttribute('role', 'status');
    if (card.buttons.length) {
      const buttons = el('div', 'card-buttons');
      for (const button of card.buttons) {
        const press = el('button', 'card-button', button.text);
        press.type = 'button';
        press.dataset.actionId = button.action_id;
        press.addEventListener('click', () => void clickCard(card, button, result));
        buttons.append(press);
      }
      node.append(buttons);
    }
    node.append(result);
    return node;
  }

  function renderConversation() {
    const c = data.conversations.find((item) => item.key === selected);
    // A card's version is in the signature: an update redraws it; so is the subtitle (a robot switched off).
    const signature = c ? c.key + ':' + c.subtitle + ':' + c.messages.map((m) => m.id + (m.card ? '.' + m.card.version : '')).join(',') : '';
    if (signature === shown) return;
    shown = signature;
    $('title').textContent = c ? c.title : 'No conversation selected';
    $('subtitle').textContent = c ? c.subtitle : 'Messages sent to the simulator appear on the left.';
    const messages = $('messages');
    messages.replaceChildren();
    for (const m of c ? c.messages : []) {
      const item = el('div', 'msg ' + m.status + (m.mine ? ' mine' : ''));
      item.dataset.id = String(m.id);
      item.append(el('div', 'meta', m.from + ' · ' + time(m.at) + (m.msgtype ? ' · ' + m.msgtype : '')));
      const bubble = el('div', 'bubble');
      if (m.title) bubble.append(el('div', 'card-title', m.title));
      if (m.card) {
        bubble.append(renderCard(m.card));
      } else {
        const body = el('div', 'body');
        body.innerHTML = m.html; // rendered and sanitised by the simulator (simulator/page/markdown.ts)
        bubble.append(body);
      }
      item.append(bubble);
      if (m.note) item.append(el('div', 'note', m.note));
      messages.append(item);
    }
    messages.scrollTop = messages.scrollHeight;
    $('card-clicker').hidden = !(c && c.messages.some((m) => m.card));
    const write = $('write');
    write.hidden = !(c && c.write);
    if (c && c.write) {
      // A group with several apps' robots: the staff member @mentions one of them.
      const robots = write.elements.client_id;
      const chosen = robots.value;
      robots.replaceChildren(...c.write.client_ids.map((clientId) => {
        const option = el('option', '', clientId);
        option.value = clientId;
        return option;
      }));
      if (c.write.client_ids.includes(chosen)) robots.value = chosen;
      robots.hidden = c.write.client_ids.length < 2;
      $('members').replaceChildren(...c.write.members.map((member) => {
        const option = el('option', '');
        option.value = member;
        return option;
      }));
    }
  }

  function select(key) {
    selected = key;
    location.hash = encodeURIComponent(key);
    renderList();
    renderConversation();
    renderRobotControls();
  }

  async function refresh() {
    try {
      const response = await fetch('/_sim/page/data');
      data = await response.json();
      if (!selected && location.hash) selected = decodeURIComponent(location.hash.slice(1));
      if (!selected && data.conversations.length) selected = data.conversations[0].key;
      renderList();
      renderConversation();
      renderRobotControls();
      renderEvents();
    } catch (error) {
      $('subtitle').textContent = 'Cannot reach the simulator: ' + error;
    }
  }

  async function post(form, body, path = '/_sim/stream/bot-messages') {
    const result = form.querySelector('.result');
    result.className = 'result';
    result.textContent = 'sending…';
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let answer = null;
      try { answer = JSON.parse(text); } catch { answer = null; }
      if (!response.ok) {
        result.className = 'result error';
        const reason = answer && (answer.error || answer.message) ? [answer.error, answer.message].filter(Boolean).join(': ') : text;
        result.textContent = 'HTTP ' + response.status + ': ' + reason;
        return;
      }
      result.textContent = answer && answer.delivered === false ? 'queued: the bot is not connected' : 'sent';
      if (path.endsWith('bot-messages')) form.querySelector('textarea').value = '';
      await refresh();
    } catch (error) {
      result.className = 'result error';
      result.textContent = String(error);
    }
  }

  $('write').addEventListener('submit', (event) => {
    event.preventDefault();
    const c = data.conversations.find((item) => item.key === selected);
    if (!c || !c.write) return;
    const form = event.target;
    void post(form, {
      client_id: form.elements.client_id.value || c.write.client_id,
      conversation_id: c.write.conversation_id,
      conversation_type: c.write.conversation_type,
      sender_staff_id: form.elements.sender_staff_id.value || undefined,
      sender_nick: form.elements.sender_nick.value || undefined,
      text: form.elements.text.value,
    });
  });

  $('new-chat').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    void post(form, {
      client_id: form.elements.client_id.value,
      conversation_type: '1',
      sender_staff_id: form.elements.sender_staff_id.value || undefined,
      sender_nick: form.elements.sender_nick.value || undefined,
      text: form.elements.text.value,
    });
  });

  $('event-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const result = form.querySelector('.result');
    let payload;
    try {
      payload = JSON.parse(form.elements.data.value || '{}');
    } catch (error) {
      result.className = 'result error';
      result.textContent = 'The payload is not JSON: ' + error.message;
      return;
    }
    void post(form, {
      client_id: form.elements.client_id.value,
      event_type: form.elements.event_type.value,
      data: payload,
    }, '/_sim/stream/events');
  });

  void refresh();
  setInterval(() => void refresh(), 1000);
})();
`;
