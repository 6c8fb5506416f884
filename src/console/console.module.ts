import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The operator console: its files are served by `serveConsole` (see app.setup.ts), `/` leads to it. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
