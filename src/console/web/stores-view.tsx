import { useState } from 'preact/hooks';
import { allPages, type Bot, type Health, type StoreOverview, unwrap } from './api';
import { usePolled } from './hooks';
import { useT } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { ErrorNote, HealthBadge, LiveNote, Title } from './ui';

const WORST: Record<Health, number> = { broken: 2, degraded: 1, healthy: 0 };

interface StoreRow extends StoreOverview {
  health: Health;
  /** Of its bots that are not healthy, those on the first page of each list (names for the eye), worst first. */
  unwell: Bot[];
}

/**
 * HQ's view (a store admin's: its own stores): every store, worst health first, with today's counts. A store's
 * health and counts come from GET /stores (its bots' health counted there, however many are broken); the names of
 * a few unhealthy bots from the first page of GET /dingtalk-bots?health=….
 */
export function StoresView() {
  const t = useT();
  const { api, me, isAdmin } = useSession();
  const [search, setSearch] = useState('');
  const stores = usePolled(async () => {
    const [overview, broken, degraded] = await Promise.all([
      allPages((page) => unwrap(api.GET('/api/v1/stores', { params: { query: { page, page_size: 100 } } }))),
      unwrap(api.GET('/api/v1/dingtalk-bots', { params: { query: { health: 'broken', page_size: 100 } } })),
      unwrap(api.GET('/api/v1/dingtalk-bots', { params: { query: { health: 'degraded', page_size: 100 } } })),
    ]);
    return rows(overview, [...broken.items, ...degraded.items], isAdmin ? [] : me.store_ids);
  }, []);
  const wanted = search.trim();
  const shown = (stores.value ?? []).filter(
    (store) => wanted === '' || String(store.store_id).includes(wanted),
  );
  const exact = /^\d+$/.test(wanted) && !shown.some((store) => String(store.store_id) === wanted);
  return (
    <>
      <Title>{isAdmin ? t('全部门店', 'Every store') : t('我的门店', 'My stores')}</Title>
      <div class="row">
        <label>
          {t('按门店编号搜索', 'Search by store id')}
          <input
            type="search"
            inputMode="numeric"
            value={search}
            onInput={(event) => setSearch(event.currentTarget.value)}
          />
        </label>
        {exact && isAdmin && (
          <a href={href(`stores/${wanted}`)}>{t(`打开门店 ${wanted}`, `Open store ${wanted}`)}</a>
        )}
      </div>
      <LiveNote changedAt={stores.changedAt} />
      <ErrorNote error={stores.error} />
      <table aria-label={t('门店列表', 'Stores')}>
        <thead>
          <tr>
            <th scope="col">{t('门店', 'Store')}</th>
            <th scope="col">{t('健康', 'Health')}</th>
            <th scope="col" class="num">
              {t('机器人（启用/全部）', 'Bots (enabled/all)')}
            </th>
            <th scope="col" class="num">
              {t('待发送', 'Pending')}
            </th>
            <th scope="col" class="num">
              {t('今日失败', 'Failed today')}
            </th>
            <th scope="col" class="num">
              {t('今日已发送', 'Sent today')}
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((store) => (
            <tr
              key={store.store_id}
              class={store.health !== 'healthy' || store.failed_today > 0 ? 'attention' : undefined}
              data-store={store.store_id}
            >
              <th scope="row">
                <a href={href(`stores/${store.store_id}`)}>
                  {t(`门店 ${store.store_id}`, `Store ${store.store_id}`)}
                </a>
              </th>
              <td>
                <HealthBadge health={store.health} />{' '}
                {store.broken_bots + store.degraded_bots > 0 && (
                  <span class="note">
                    {t(
                      `故障 ${store.broken_bots} · 降级 ${store.degraded_bots}`,
                      `${store.broken_bots} broken · ${store.degraded_bots} degraded`,
                    )}{' '}
                  </span>
                )}
                {store.unwell.map((bot) => (
                  <span key={bot.id} class="note">
                    {bot.name}: {bot.health_reason}{' '}
                  </span>
                ))}
              </td>
              <td class="num">
                {store.enabled_bots}/{store.bots}
              </td>
              <td class="num">{store.pending}</td>
              <td class="num">
                {store.failed_today > 0 ? (
                  <a href={href('log', { store_id: store.store_id, status: 'failed' })}>
                    {store.failed_today}
                  </a>
                ) : (
                  0
                )}
              </td>
              <td class="num">{store.sent_today}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stores.value && shown.length === 0 && <p class="muted">{t('没有门店。', 'No stores.')}</p>}
    </>
  );
}

function rows(overview: StoreOverview[], unwell: Bot[], ownStores: number[]): StoreRow[] {
  const byStore = new Map<number, StoreRow>();
  const empty = (storeId: number): StoreOverview => ({
    store_id: storeId,
    bots: 0,
    enabled_bots: 0,
    broken_bots: 0,
    degraded_bots: 0,
    pending: 0,
    failed_today: 0,
    sent_today: 0,
  });
  // A store admin's stores without a bot yet are listed too: that is where it adds the first one.
  for (const store of [...overview, ...ownStores.map(empty)]) {
    if (!byStore.has(store.store_id))
      byStore.set(store.store_id, { ...store, health: 'healthy', unwell: [] });
  }
  for (const row of byStore.values()) {
    row.health = row.broken_bots > 0 ? 'broken' : row.degraded_bots > 0 ? 'degraded' : 'healthy';
  }
  for (const bot of unwell) byStore.get(bot.store_id)?.unwell.push(bot);
  for (const row of byStore.values()) row.unwell.sort((a, b) => WORST[b.health] - WORST[a.health]);
  return [...byStore.values()].sort(
    (a, b) =>
      WORST[b.health] - WORST[a.health] ||
      b.broken_bots - a.broken_bots ||
      b.degraded_bots - a.degraded_bots ||
      b.failed_today - a.failed_today ||
      b.pending - a.pending ||
      a.store_id - b.store_id,
  );
}
