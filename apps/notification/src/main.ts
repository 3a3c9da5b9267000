import { runService } from '@emporium/kit';
import { notificationService } from './app';

void runService(notificationService);
