import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { EventItem } from './api';
import { useAuth } from './auth';

export type LiveStatus = 'connecting' | 'open' | 'offline';

type EventsListener = (items: EventItem[]) => void;

interface Live {
  status: LiveStatus;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  /** Calls `listener` with each batch of new events (newest first); returns the unsubscribe. */
  onEvents: (listener: EventsListener) => () => void;
}

/** Counters for the console benchmark (bench/console.js), read from the page. */
interface ConsoleCounters {
  liveReceived: number;
  liveShown: number;
}
declare global {
  interface Window {
    __se3Console?: ConsoleCounters;
  }
}
export const counters: ConsoleCounters = (window.__se3Console = { liveReceived: 0, liveShown: 0 });

const LiveContext = createContext<Live | null>(null);

/**
 * One EventSource on /api/live for the whole console (the cookie authenticates it). The browser
 * reconnects by itself; after a gap the lists are read again, since events may have been missed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { state, signOut } = useAuth();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [paused, setPaused] = useState(false);
  const listeners = useRef(new Set<EventsListener>());

  useEffect(() => {
    if (state !== 'signed-in') return;
    const source = new EventSource('/api/live');
    let wasOpen = false;
    source.onopen = () => {
      setStatus('open');
      // A reconnection: what arrived meanwhile is read from the lists.
      if (wasOpen) void queryClient.invalidateQueries();
      wasOpen = true;
    };
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('events', (message) => {
      const { items } = JSON.parse((message as MessageEvent<string>).data) as { items: EventItem[] };
      counters.liveReceived += items.length;
      for (const listener of listeners.current) listener(items);
    });
    source.addEventListener('quarantined', () => {
      void queryClient.invalidateQueries({ queryKey: ['quarantine'] });
    });
    source.addEventListener('resync', () => void queryClient.invalidateQueries());
    source.addEventListener('signed-out', () => {
      source.close();
      void signOut();
    });
    return () => source.close();
  }, [state, queryClient, signOut]);

  const value = useMemo<Live>(
    () => ({
      status,
      paused,
      setPaused,
      onEvents: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [status, paused],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const context = useContext(LiveContext);
  if (!context) throw new Error('useLive outside LiveProvider');
  return context;
}
