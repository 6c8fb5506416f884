import { DynamicModule, Module } from '@nestjs/common';
import { SETTINGS_AREAS, Settings } from './settings';

/** Each area of the validated settings as a provider of its own class, to every module. */
@Module({})
export class SettingsModule {
  static forRoot(settings: Settings): DynamicModule {
    const providers = Object.entries(SETTINGS_AREAS).map(([area, type]) => ({ provide: type, useValue: settings[area as keyof Settings] }));
    return { module: SettingsModule, global: true, providers, exports: providers.map((provider) => provider.provide) };
  }
}
