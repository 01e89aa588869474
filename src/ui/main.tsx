import { render } from 'solid-js/web'
import { App } from './App'
import { registerOfflineShell } from './registerOfflineShell'
import './styles.css'

performance.mark('kanso:app-start')
registerOfflineShell()
render(() => <App />, document.getElementById('app')!)
