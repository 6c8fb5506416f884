import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api';
import { AuthProvider, useAuth } from './auth';
import { Layout } from './components/Layout';
import { Spinner } from './components/ui';
import { I18nProvider } from './i18n';
import { LiveProvider } from './live';
import Events from './pages/Events';
import SignIn from './pages/SignIn';
import './styles.css';

// The events page is in the first load: it is the one operators open after signing in to look for someone.
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Strangers = lazy(() => import('./pages/Strangers'));
const Person = lazy(() => import('./pages/Person'));
const Devices = lazy(() => import('./pages/Devices'));
const Problems = lazy(() => import('./pages/Problems'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

function App() {
  const { state } = useAuth();
  if (state === 'checking') return <Spinner />;
  if (state === 'signed-out') return <SignIn />;
  return (
    <LiveProvider>
      <Layout>
        <Suspense fallback={<Spinner />}>
          <Routes>
            <Route path="/" element={<Dashboard />} />
            <Route path="/events" element={<Events />} />
            <Route path="/strangers" element={<Strangers />} />
            <Route path="/people/:identityId" element={<Person />} />
            <Route path="/devices" element={<Devices />} />
            <Route path="/problems" element={<Problems />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </Layout>
    </LiveProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <BrowserRouter basename="/console">
          <AuthProvider>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
