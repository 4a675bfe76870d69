import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { MintedTokenRepository } from './minted-token.repository';
import { RequestAuthenticator } from './request-authenticator';
import { RevocationRefresh } from './revocation-refresh';
import { RevokedTokens } from './revoked-tokens';
import { StoreAdminTokens } from './store-admin-tokens';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject made once: given the secret as a string, jsonwebtoken first tries to parse it as a PEM public
        // key on every verification, and that failed attempt was the largest single cost of a request (profiled).
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    RequestAuthenticator,
    StoreAdminTokens,
    MintedTokenRepository,
    RevokedTokens,
    RevocationRefresh,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [RequestAuthenticator],
})
export class AuthModule {}
