import { render } from 'preact';
import { App } from './app';
import { saveLang, savedLang } from './i18n';

saveLang(savedLang());
render(<App />, document.getElementById('app')!);
