import { Global, Module } from '@nestjs/common';
import { SampleConfig } from './sample-config.js';

/** Provides `SampleConfig`, read from the environment once. Tests override the provider. */
@Global()
@Module({
  providers: [{ provide: SampleConfig, useFactory: () => SampleConfig.fromEnv() }],
  exports: [SampleConfig],
})
export class ConfigModule {}
