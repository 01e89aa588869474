import { render } from 'solid-js/web'
import { App } from './App'
import { registerOfflineShell } from './registerOfflineShell'
import './styles.css'

performance.mark('kanso:app-start')
// The app starts in a task of its own: evaluating the bundle is one long task already (~0.3 s
// here), and the two together made the open's longest task.
setTimeout(() => {
  render(() => <App />, document.getElementById('app')!)
  // nothing on screen needs the service worker (it keeps the app loadable offline): it
  // registers once the first rows are shown
  registerOfflineShell()
}, 0)
