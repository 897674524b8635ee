import { Module } from '@nestjs/common';
import { StatusController } from './http/status.controller';

@Module({ controllers: [StatusController] })
export class StatusModule {}
