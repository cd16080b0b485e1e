import { render } from 'preact';
import './app.css';
import { App } from './components/app';

render(<App />, document.getElementById('app')!);
