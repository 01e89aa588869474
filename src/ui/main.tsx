import { render } from 'solid-js/web'
import { App } from './App'
import { registerOfflineShell } from './registerOfflineShell'
import './styles.css'

registerOfflineShell()
render(() => <App />, document.getElementById('app')!)
