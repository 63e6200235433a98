import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeKeyFromAddress } from './api/client';
import { App } from './app/App';
import './styles.css';

takeKeyFromAddress();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
