import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { AdminPrincipal } from '../../admin-principal';

export const MAX_KEY_LENGTH = 1024;

export class CreateSessionDto {
  @ApiProperty({ description: 'An admin API key (ADMIN_API_KEYS, or the generated one in DATA_DIR/admin-api-key)' })
  @Length(1, MAX_KEY_LENGTH, { message: `$property must be an admin API key, as text of 1 to ${MAX_KEY_LENGTH} characters` })
  @IsString({ message: `$property must be an admin API key, as text of 1 to ${MAX_KEY_LENGTH} characters` })
  key: string;
}

export class SessionDto {
  @ApiProperty({ enum: ['session', 'bearer'], description: 'How this request was signed in: the console cookie or a bearer key' })
  via: AdminPrincipal['via'];

  @ApiProperty({ description: 'Fingerprint of the admin API key in use (never the key)', example: '3f9a0c1d2e4b5a69' })
  key_id: string;

  @ApiProperty({ type: Date, nullable: true, description: 'When the console session ends; null for a bearer key' })
  expires_at: Date | null;
}

export function mapSession(principal: AdminPrincipal, expiresAt: Date | null): SessionDto {
  return { via: principal.via, key_id: principal.keyId, expires_at: expiresAt };
}
