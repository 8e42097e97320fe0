import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { TaskScheduler } from 'nest-task-queue';
import { SampleConfig } from '../config/sample-config.js';
import { DeleteTempFileTask } from './delete-temp-file.task.js';
import { FilesService } from './files.service.js';

/** The part of multer's file object we use (the sample does not depend on @types/multer). */
interface UploadedTempFile {
  originalname: string;
  buffer: Buffer;
}

@Controller('files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly scheduler: TaskScheduler,
    private readonly config: SampleConfig,
  ) {}

  /** POST /files (multipart, field "file"): kept in the temp folder, deleted after FILE_TTL_MS. */
  @Post()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024 } }))
  async upload(@UploadedFile() file?: UploadedTempFile) {
    if (file === undefined) throw new BadRequestException('Send a multipart/form-data body with a "file" field');
    const saved = await this.files.save(file.originalname, file.buffer);
    const runAt = new Date(Date.now() + this.config.fileTtlMs);
    const cleanupTaskId = await this.scheduler.schedule(DeleteTempFileTask, { name: saved.name }, { runAt });
    return { ...saved, deleteAt: runAt, cleanupTaskId };
  }

  /** GET /files: what the temp folder holds now. */
  @Get()
  list() {
    return this.files.list();
  }

  /** GET /files/:name: 404 once the cleanup task has run. */
  @Get(':name')
  async get(@Param('name') name: string) {
    if (!(await this.files.exists(name))) throw new NotFoundException(`No file ${name} (deleted, or never uploaded)`);
    return { name, exists: true };
  }
}
