import { Module } from '@nestjs/common';
import { DeleteTempFileTask } from './delete-temp-file.task.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';

@Module({
  controllers: [FilesController],
  providers: [FilesService, DeleteTempFileTask],
})
export class FilesModule {}
