import { TaskHandler, type ITaskHandler } from 'nest-task-queue';
import { FilesService } from './files.service.js';

export interface DeleteTempFileArgs {
  name: string;
}

/** Cleanup: removes an upload once its time is up. Deleting a file already gone is fine. */
@TaskHandler('delete-temp-file')
export class DeleteTempFileTask implements ITaskHandler<DeleteTempFileArgs> {
  constructor(private readonly files: FilesService) {}

  async execute({ name }: DeleteTempFileArgs) {
    return { deleted: await this.files.delete(name) };
  }
}
