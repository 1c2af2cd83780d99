import { render } from 'preact';
import { App } from './app';
import './style.css';

// A page typed as a path (/jobs/12, served index.html) becomes the hash route it stands for.
if (location.pathname !== '/') history.replaceState(null, '', `/#${location.pathname.replace(/\/$/, '')}`);

render(<App />, document.getElementById('app')!);
