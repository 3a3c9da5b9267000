import { runService } from '@emporium/kit';
import { orderService } from './app';

void runService(orderService);
