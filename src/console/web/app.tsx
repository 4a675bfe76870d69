import { useEffect, useState } from 'preact/hooks';
import { BotForm } from './bot-form';
import { DeliveryLog } from './delivery-log';
import { type Lang, LangContext, saveLang, savedLang } from './i18n';
import { NotificationView } from './notification-view';
import { ReportView } from './report-view';
import { href, type Route, useRoute } from './router';
import { forgetToken, savedToken, type Session, SessionContext, signIn } from './session';
import { SignIn } from './sign-in';
import { StoreView } from './store-view';
import { StoresView } from './stores-view';
import { SummaryView } from './summary-view';
import { TemplateEditor, TemplatesView } from './templates-view';
import { TokensView } from './tokens-view';

type State =
  { phase: 'starting' } | { phase: 'signed-out'; expired: boolean } | { phase: 'in'; session: Session };

export function App() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const [state, setState] = useState<State>({ phase: 'starting' });
  const route = useRoute();

  const signOut = (expired: boolean) => {
    forgetToken();
    setState({ phase: 'signed-out', expired });
  };
  const start = async (token: string) => {
    const session = await signIn(token, () => signOut(true));
    setState({ phase: 'in', session });
  };
  useEffect(() => {
    const token = savedToken();
    if (!token) setState({ phase: 'signed-out', expired: false });
    else start(token).catch(() => signOut(true));
  }, []);
  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    saveLang(next);
    setLang(next);
  };

  return (
    <LangContext.Provider value={lang}>
      {state.phase === 'starting' ? null : state.phase === 'signed-out' ? (
        <>
          <LangSwitch lang={lang} onSwitch={switchLang} standalone />
          <SignIn onToken={start} expired={state.expired} />
        </>
      ) : (
        <SessionContext.Provider value={state.session}>
          <Shell
            route={route}
            session={state.session}
            lang={lang}
            onSwitchLang={switchLang}
            onSignOut={() => signOut(false)}
          />
        </SessionContext.Provider>
      )}
    </LangContext.Provider>
  );
}

function LangSwitch({
  lang,
  onSwitch,
  standalone,
}: {
  lang: Lang;
  onSwitch: () => void;
  standalone?: boolean;
}) {
  return (
    <button
      type="button"
      class={standalone ? undefined : 'lang'}
      style={standalone ? 'margin: 12px' : undefined}
      onClick={onSwitch}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
    >
      {lang === 'zh' ? 'English' : '中文'}
    </button>
  );
}

interface ShellProps {
  route: Route;
  session: Session;
  lang: Lang;
  onSwitchLang: () => void;
  onSignOut: () => void;
}

function Shell({ route, session, lang, onSwitchLang, onSignOut }: ShellProps) {
  const zh = lang === 'zh';
  const section = route.path[0] ?? 'stores';
  const links: Array<[string, string, string[]]> = [
    ['stores', zh ? '门店' : 'Stores', ['stores', 'bots']],
    ['log', zh ? '发送记录' : 'Delivery log', ['log', 'notifications', 'reports']],
    ['templates', zh ? '消息模板' : 'Templates', ['templates']],
    ['summary', zh ? '日报预览' : 'Daily summary', ['summary']],
    ...(session.isAdmin
      ? [['tokens', zh ? '令牌' : 'Tokens', ['tokens']] as [string, string, string[]]]
      : []),
  ];
  const who = session.isAdmin
    ? `${session.me.sub} · ${zh ? '总部管理员' : 'HQ admin'}`
    : `${session.me.sub} · ${zh ? '门店' : 'stores'} ${session.me.store_ids.join(', ')}`;
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}
      >
        {zh ? '跳到主要内容' : 'Skip to content'}
      </a>
      <header class="top">
        <span class="brand">{zh ? '门店钉钉通知 · 运维控制台' : 'Store DingTalk · Console'}</span>
        <nav aria-label={zh ? '主导航' : 'Main'}>
          <ul>
            {links.map(([path, label, sections]) => (
              <li key={path}>
                <a href={href(path)} aria-current={sections.includes(section) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>{who}</span>
          <LangSwitch lang={lang} onSwitch={onSwitchLang} />
          <button type="button" onClick={onSignOut}>
            {zh ? '退出' : 'Sign out'}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <View route={route} isAdmin={session.isAdmin} />
      </main>
    </>
  );
}

/** The view the URL names; a key per view, so that each opens fresh (and focuses its title). */
function View({ route, isAdmin }: { route: Route; isAdmin: boolean }) {
  const [section, id, action] = route.path;
  const key = route.path.join('/');
  switch (section) {
    case undefined:
    case 'stores':
      if (id === undefined) return <StoresView key={key} />;
      if (action === 'new-bot') return <BotForm key={key} storeId={Number(id)} />;
      return <StoreView key={key} storeId={Number(id)} />;
    case 'bots':
      return <BotForm key={key} botId={Number(id)} />;
    case 'log':
      return <DeliveryLog key={key} query={route.query} />;
    case 'notifications':
      return <NotificationView key={key} id={id} />;
    case 'reports':
      return <ReportView key={key} id={Number(id)} />;
    case 'templates':
      return id === undefined ? (
        <TemplatesView key={key} />
      ) : (
        <TemplateEditor key={key} id={id === 'new' ? undefined : Number(id)} />
      );
    case 'summary':
      return <SummaryView key={key} query={route.query} />;
    case 'tokens':
      return isAdmin ? <TokensView key={key} query={route.query} /> : <StoresView key={key} />;
    default:
      return <StoresView key={key} />;
  }
}
