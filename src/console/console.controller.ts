import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CONSOLE_PATH } from './console-static';

/** The service's root opens the console. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  @Get()
  @Redirect(`${CONSOLE_PATH}/`, 302)
  root(): void {}
}
