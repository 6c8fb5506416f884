import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, SessionInfo, whenSignedOut } from './api';

type AuthState = 'checking' | 'signed-in' | 'signed-out';

interface Auth {
  state: AuthState;
  session: SessionInfo | null;
  /** Why the operator is signed out: 'ended' (the session ended by itself) or 'signed-out'. */
  reason: 'ended' | 'signed-out' | null;
  signIn: (key: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The console session: the cookie is HttpOnly, so the app asks the service whether it is signed in. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>('checking');
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [reason, setReason] = useState<Auth['reason']>(null);

  const ended = useCallback(
    (why: Auth['reason']) => {
      queryClient.clear();
      setSession(null);
      setReason(why);
      setState('signed-out');
    },
    [queryClient],
  );

  useEffect(() => {
    whenSignedOut(() => ended('ended'));
    api<SessionInfo>('/api/session').then(
      (info) => {
        setSession(info);
        setState('signed-in');
      },
      () => setState('signed-out'),
    );
  }, [ended]);

  const signIn = useCallback(async (key: string) => {
    const info = await api<SessionInfo>('/api/session', { method: 'POST', body: { key } });
    setSession(info);
    setReason(null);
    setState('signed-in');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/api/session', { method: 'DELETE' });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    ended('signed-out');
  }, [ended]);

  const value = useMemo(() => ({ state, session, reason, signIn, signOut }), [state, session, reason, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}
